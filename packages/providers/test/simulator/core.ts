// The machinery every provider simulator shares: an HTTP server on 127.0.0.1 (port 0), bearer
// tokens with permissions, a clock that tests can move, rate limiters, fault injection, a log of
// every exchange, and pagination helpers. Each provider module adds its routes and state.
// Fast by design: nothing sleeps unless a test injects a `slow` fault.

import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { FaultKind, FaultOptions, SimExchange, SimOperation } from "./types.ts";

// --- clock and randomness ---------------------------------------------------------------------

export interface Clock {
  now(): number;
}

/** A clock that moves only when told to: rate-limit windows and boot times without waiting. */
export class ManualClock implements Clock {
  #t: number;
  constructor(start = Date.UTC(2026, 10, 25, 12, 0, 0)) {
    this.#t = start;
  }
  now(): number {
    return this.#t;
  }
  advance(ms: number): void {
    this.#t += ms;
  }
}

export const realClock: Clock = { now: () => Date.now() };

/** mulberry32: a small seeded generator, so probabilistic faults repeat exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- tokens -----------------------------------------------------------------------------------

export interface TokenInfo {
  /** "valid", "revoked", "limited"… for logs and tests; never the token itself. */
  label: string;
  /** Permissions the token has; "all" for full access. */
  grants: "all" | ReadonlySet<string>;
  /** Revoked tokens are known but answer 401. */
  revoked?: boolean;
}

export const hasGrant = (t: TokenInfo, perm: string) => t.grants === "all" || t.grants.has(perm);

// --- rate limits ------------------------------------------------------------------------------

export type RateDecision =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; headers: Record<string, string>; retryAfterSeconds: number };

export interface RateLimiter {
  take(key: string, now: number, ctx: { method: string; path: string }): RateDecision;
}

/** Sliding windows: each request counts for `windowMs` after it was made (DigitalOcean's model). */
export class SlidingWindow {
  readonly limit: number;
  readonly windowMs: number;
  readonly #hits = new Map<string, number[]>();
  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
  }
  #live(key: string, now: number): number[] {
    const hits = (this.#hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    this.#hits.set(key, hits);
    return hits;
  }
  remaining(key: string, now: number): number {
    return Math.max(0, this.limit - this.#live(key, now).length);
  }
  /** When the oldest counted request leaves the window (ms epoch), or now when none is counted. */
  oldestExpiry(key: string, now: number): number {
    const hits = this.#live(key, now);
    return hits[0] === undefined ? now : hits[0] + this.windowMs;
  }
  allowed(key: string, now: number): boolean {
    return this.#live(key, now).length < this.limit;
  }
  record(key: string, now: number): void {
    this.#live(key, now).push(now);
  }
}

/** A bucket of `capacity` that refills `perSecond` (Hetzner's model). */
export class TokenBucket {
  readonly capacity: number;
  readonly perSecond: number;
  readonly #state = new Map<string, { tokens: number; at: number }>();
  constructor(capacity: number, perSecond: number) {
    this.capacity = capacity;
    this.perSecond = perSecond;
  }
  #refill(key: string, now: number) {
    const s = this.#state.get(key) ?? { tokens: this.capacity, at: now };
    s.tokens = Math.min(this.capacity, s.tokens + ((now - s.at) / 1000) * this.perSecond);
    s.at = now;
    this.#state.set(key, s);
    return s;
  }
  take(key: string, now: number): { ok: boolean; remaining: number; fullAt: number } {
    const s = this.#refill(key, now);
    const ok = s.tokens >= 1;
    if (ok) s.tokens -= 1;
    const remaining = Math.floor(s.tokens);
    return { ok, remaining, fullAt: now + ((this.capacity - s.tokens) / this.perSecond) * 1000 };
  }
}

// --- routes -----------------------------------------------------------------------------------

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  token: TokenInfo;
  now: number;
  /** The server's own URL with the API base path, for links. */
  apiUrl: string;
  headers: http.IncomingHttpHeaders;
  /** The body as sent (form-encoded token requests are not JSON). */
  rawBody: string;
}

export interface Route {
  method: string;
  /** Below the API base path, with :params, e.g. "/v2/droplets/:id". */
  path: string;
  op?: SimOperation;
  /** Permissions a token needs (DigitalOcean scopes, "write", Vultr ACLs); none = any valid token. */
  perms?: readonly string[];
  /** Needs no token (an identity provider's token endpoint); not rate limited. */
  public?: boolean;
  handle(ctx: RouteContext): SimResponse;
}

export interface ProviderProfile {
  /** API base path the real provider has: "" (DigitalOcean, paths carry /v2), "/v1", "/v2". */
  basePath: string;
  error(status: number, code: string, message: string): SimResponse;
  unauthorized(): SimResponse;
  forbidden(perm: string): SimResponse;
  rateLimiter: RateLimiter;
  /** The 429 an injected rate_limit fault answers with. */
  injectedRateLimit(retryAfterSeconds: number, now: number): SimResponse;
  /** Key rate limits by token (DigitalOcean, Hetzner) or by client address (Vultr). */
  rateKey: "token" | "address";
  /** Resolves a bearer token the token map does not hold (self-signed JWTs, GCP). */
  authenticate?(bearer: string, now: number): TokenInfo | undefined;
}

interface Fault extends FaultOptions {
  kind: FaultKind;
  left: number;
}

export interface SimServerOptions {
  clock?: Clock;
  seed?: number;
  /** Turn the provider's real rate limits off (e.g. for a benchmark that models them elsewhere). */
  rateLimits?: boolean;
  /** With a ManualClock: simulated time each request takes (the clock advances by it), default 0. */
  latencyMs?: number;
  /** Serve HTTPS with this key and certificate (Azure's SDK sends bearer tokens only over https). */
  tls?: { key: string; cert: string };
}

export class SimServer {
  readonly requests: SimExchange[] = [];
  readonly clock: Clock;
  readonly random: () => number;
  url = "";
  readonly #profile: ProviderProfile;
  readonly #routes: { route: Route; re: RegExp; names: string[] }[];
  readonly #tokens: Map<string, TokenInfo>;
  readonly #rateLimits: boolean;
  readonly #latencyMs: number;
  readonly #tls: { key: string; cert: string } | undefined;
  #faults: Fault[] = [];
  #server: http.Server | undefined;
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #seq = 0;

  constructor(profile: ProviderProfile, routes: Route[], tokens: Map<string, TokenInfo>, o: SimServerOptions = {}) {
    this.#profile = profile;
    this.#tokens = tokens;
    this.clock = o.clock ?? realClock;
    this.random = seededRandom(o.seed ?? 42);
    this.#rateLimits = o.rateLimits ?? true;
    this.#latencyMs = o.latencyMs ?? 0;
    this.#tls = o.tls;
    this.#routes = routes.map((route) => {
      const names: string[] = [];
      const re = new RegExp(
        `^${route.path.replace(/:([a-z_]+)/g, (_, n: string) => {
          names.push(n);
          return "([^/]+)";
        })}$`,
        // ARM paths are case-insensitive ("resourceGroups" / "resourcegroups").
        "i",
      );
      return { route, re, names };
    });
  }

  async start(): Promise<void> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.#handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ simulator_bug: String(e) }));
        }
      });
    };
    const server = this.#tls ? https.createServer(this.#tls, handler) : http.createServer(handler);
    server.keepAliveTimeout = 1000;
    server.on("connection", (s) => {
      this.#sockets.add(s);
      s.on("close", () => this.#sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.#server = server;
    const { port } = server.address() as AddressInfo;
    this.url = `${this.#tls ? "https" : "http"}://127.0.0.1:${port}${this.#profile.basePath}`;
  }

  async stop(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const s of this.#sockets) s.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  injectFault(kind: FaultKind, opts: FaultOptions = {}): void {
    this.#faults.push({ ...opts, kind, left: opts.times ?? 1 });
  }

  clearFaults(): void {
    this.#faults = [];
  }

  /** Adds or replaces a token (tests make extra under-scoped tokens). */
  setToken(token: string, info: TokenInfo): void {
    this.#tokens.set(token, info);
  }

  #match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const r of this.#routes) {
      if (r.route.method !== method) continue;
      const m = r.re.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1] ?? "");
      });
      return { route: r.route, params };
    }
    return undefined;
  }

  #takeFault(method: string, path: string, op: SimOperation | undefined): Fault | undefined {
    for (const f of this.#faults) {
      if (f.left <= 0) continue;
      if (f.op && f.op !== op) continue;
      if (f.method && f.method !== method) continue;
      if (f.path && !(typeof f.path === "string" ? f.path === path : f.path.test(path))) continue;
      if (f.probability !== undefined && this.random() >= f.probability) continue;
      f.left -= 1;
      return f;
    }
    return undefined;
  }

  #delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.#timers.delete(t);
        resolve();
      }, ms);
      this.#timers.add(t);
    });
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://sim");
    const method = req.method ?? "GET";
    const base = this.#profile.basePath;
    const path = base && url.pathname.startsWith(base) ? url.pathname.slice(base.length) || "/" : url.pathname;
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) query[k] = [...(query[k] ?? []), v];
    let body: unknown;
    let badJson = false;
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        badJson = true;
        body = text;
      }
    }
    const matched = this.#match(method, path);
    const exchange: SimExchange = {
      seq: ++this.#seq,
      method,
      path,
      rawPath: url.pathname,
      query,
      requestHeaders: Object.fromEntries(
        Object.entries(req.headers)
          .filter(([k]) => k !== "authorization")
          .map(([k, v]) => [k, String(v)]),
      ),
      body,
      op: matched?.route.op,
      perms: matched?.route.perms ?? [],
      status: undefined,
      responseBody: undefined,
      responseHeaders: {},
      fault: undefined,
    };
    this.requests.push(exchange);
    const send = (r: SimResponse) => {
      const headers: Record<string, string> = { ...r.headers };
      let payload: string | undefined;
      if (r.body !== undefined && r.status !== 204) {
        headers["content-type"] = "application/json; charset=utf-8";
        payload = JSON.stringify(r.body);
      }
      exchange.status = r.status;
      exchange.responseBody = r.body;
      exchange.responseHeaders = headers;
      res.writeHead(r.status, headers);
      res.end(payload);
    };

    const fault = this.#takeFault(method, path, matched?.route.op);
    if (fault) exchange.fault = fault.kind;
    if (fault?.kind === "network_reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "slow") await this.#delay(fault.delayMs ?? 1000);
    if (this.#latencyMs && this.clock instanceof ManualClock) this.clock.advance(this.#latencyMs);
    const now = this.clock.now();
    if (fault?.kind === "rate_limit") return send(this.#profile.injectedRateLimit(fault.retryAfterSeconds ?? 7, now));
    if (fault?.kind === "server_error")
      return send(this.#profile.error(fault.status ?? 500, "server_error", "Internal server error (injected by the simulator)."));

    const ctxOf = (token: TokenInfo) => ({
      params: matched?.params ?? {},
      query: url.searchParams,
      body,
      token,
      now,
      apiUrl: this.url,
      headers: req.headers,
      rawBody: text,
    });
    if (matched?.route.public) return send(matched.route.handle(ctxOf({ label: "public", grants: new Set() })));

    const auth = req.headers.authorization ?? "";
    const bearer = auth.startsWith("Bearer ") ? auth.slice(7) : undefined;
    const token = bearer === undefined ? undefined : (this.#tokens.get(bearer) ?? this.#profile.authenticate?.(bearer, now));
    if (!token || token.revoked) return send(this.#profile.unauthorized());

    if (this.#rateLimits) {
      const key = this.#profile.rateKey === "token" ? `t:${auth}` : `a:${req.socket.remoteAddress ?? ""}`;
      const decision = this.#profile.rateLimiter.take(key, now, { method, path });
      if (!decision.ok) {
        const r = this.#profile.error(429, "rate_limit_exceeded", "API rate limit exceeded.");
        return send({ ...r, headers: { ...decision.headers, ...r.headers } });
      }
      for (const [k, v] of Object.entries(decision.headers)) res.setHeader(k, v);
      exchange.responseHeaders = { ...decision.headers };
    }

    if (badJson) return send(this.#profile.error(400, "json_error", "The request body is not valid JSON."));
    if (!matched) return send(this.#profile.error(404, "not_found", `No route for ${method} ${path}.`));
    const lacking = (matched.route.perms ?? []).find((p) => !hasGrant(token, p));
    if (lacking) return send(this.#profile.forbidden(lacking));

    const result = matched.route.handle(ctxOf(token));
    if (fault?.kind === "lost_response") {
      // It happened; the caller never hears about it.
      exchange.status = result.status;
      exchange.responseBody = result.body;
      if (!fault.hang) req.socket.destroy();
      return;
    }
    send(result);
  }
}

// --- pagination helpers -----------------------------------------------------------------------

/** page/per_page pagination. `max` caps per_page (Hetzner caps silently; DigitalOcean rejects above). */
export function pageOf<T>(items: T[], query: URLSearchParams, defaults: { perPage: number; max: number }) {
  const page = Math.max(1, Number.parseInt(query.get("page") ?? "1", 10) || 1);
  const requested = Number.parseInt(query.get("per_page") ?? String(defaults.perPage), 10) || defaults.perPage;
  const perPage = Math.max(1, Math.min(requested, defaults.max));
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  return { slice: items.slice((page - 1) * perPage, page * perPage), page, perPage, lastPage, total: items.length, requested };
}

/** Cursor pagination (Vultr): the cursor is the base64 of the next offset. */
export function cursorOf<T>(items: T[], query: URLSearchParams, defaults: { perPage: number; max: number }) {
  const perPage = Math.max(
    1,
    Math.min(Number.parseInt(query.get("per_page") ?? String(defaults.perPage), 10) || defaults.perPage, defaults.max),
  );
  const cursor = query.get("cursor");
  const offset = cursor
    ? Number.parseInt(
        Buffer.from(cursor, "base64")
          .toString("utf8")
          .replace(/^next__/, ""),
        10,
      ) || 0
    : 0;
  const slice = items.slice(offset, offset + perPage);
  const nextOffset = offset + perPage;
  const next = nextOffset < items.length ? Buffer.from(`next__${nextOffset}`).toString("base64") : "";
  const prev = offset > 0 ? Buffer.from(`prev__${Math.max(0, offset - perPage)}`).toString("base64") : "";
  return { slice, next, prev, total: items.length };
}

/** Hetzner-style label selectors: "k", "!k", "k==v", "k=v", "k!=v", joined by ",". */
export function matchesSelector(labels: Record<string, string>, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(",").every((raw) => {
    const term = raw.trim();
    if (!term) return true;
    let m = /^([^=!]+)!=(.*)$/.exec(term);
    if (m?.[1] !== undefined) return labels[m[1].trim()] !== (m[2] ?? "").trim();
    m = /^([^=!]+)==?(.*)$/.exec(term);
    if (m?.[1] !== undefined) return labels[m[1].trim()] === (m[2] ?? "").trim();
    if (term.startsWith("!")) return !(term.slice(1) in labels);
    return term in labels;
  });
}

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** A password-looking string, as providers hand out. */
export function fakePassword(random: () => number): string {
  const chars = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  let out = "";
  for (let i = 0; i < 20; i++) out += chars[Math.floor(random() * chars.length)];
  return `${out}!Sim`;
}

/** Minimal OpenSSH public key check the simulated providers apply. */
export function looksLikePublicKey(line: unknown): line is string {
  if (typeof line !== "string") return false;
  const [type, b64] = line.trim().split(/\s+/);
  if (!type || !b64 || !/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\d+|sk-[a-z0-9-]+@openssh\.com)$/.test(type)) return false;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return false;
  const blob = Buffer.from(b64, "base64");
  if (blob.length < 4) return false;
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString() === type;
}
