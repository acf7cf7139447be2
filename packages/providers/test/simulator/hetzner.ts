// A stateful Hetzner Cloud API simulator: servers (initializing → running), actions, firewalls
// applied at create, SSH keys, labels and label selectors, locations and server types with
// per-location prices, Read and Read & Write tokens, and Hetzner's rate limit (3,600 requests an
// hour per project, refilling one a second) with its headers. Responses follow
// hetzner.openapi.json: the contract tests validate every one.

import { createHash } from "node:crypto";
import {
  type Clock,
  fakePassword,
  iso,
  looksLikePublicKey,
  matchesSelector,
  type ProviderProfile,
  pageOf,
  type RateLimiter,
  type Route,
  type RouteContext,
  SimServer,
  type SimServerOptions,
  TokenBucket,
  type TokenInfo,
} from "./core.ts";
import type { ConformanceSim, FaultKind, FaultOptions, SimExchange, SimFirewallView, SimOperation } from "./types.ts";

export const HETZNER_TOKENS = {
  valid: "simvalidHetznerToken000000000000000000000000000000000000000000000",
  revoked: "simrevokedHetznerToken0000000000000000000000000000000000000000000",
  limited: "simlimitedHetznerToken0000000000000000000000000000000000000000000",
} as const;

export interface HetznerSimOptions extends SimServerOptions {
  /** A server is running after this many reads of it (default 2)… */
  pollsToActive?: number;
  /** …or this long after creation on the simulator's clock (default: never by time). */
  bootMs?: number;
  /** Server types beyond the three real ones, to make the list span pages (default 0). */
  extraSizes?: number;
  /** Return a root_password even when SSH keys are given (to prove the driver drops it). */
  rootPasswordAlways?: boolean;
  /** Reads of an action before it succeeds (default 1). */
  actionPolls?: number;
}

interface HServer {
  id: number;
  name: string;
  status: string;
  created: number;
  polls: number;
  type: string;
  location: string;
  labels: Record<string, string>;
  keys: string[];
  firewalls: number[];
  userData: string | undefined;
}
interface HFirewall {
  id: number;
  name: string;
  created: number;
  labels: Record<string, string>;
  rules: {
    direction: string;
    protocol: string;
    port: string | null;
    source_ips: string[];
    destination_ips: string[];
    description: string | null;
  }[];
}
interface HKey {
  id: number;
  name: string;
  public_key: string;
  fingerprint: string;
  labels: Record<string, string>;
  created: number;
}
interface HAction {
  id: number;
  command: string;
  resources: { id: number; type: string }[];
  started: number;
  polls: number;
  done: boolean;
  onDone?: () => void;
}

const LOCATIONS = [
  {
    id: 1,
    name: "fsn1",
    description: "Falkenstein DC Park 1",
    city: "Falkenstein",
    country: "DE",
    latitude: 50.47612,
    longitude: 12.370071,
    network_zone: "eu-central",
  },
  {
    id: 2,
    name: "nbg1",
    description: "Nuremberg DC Park 1",
    city: "Nuremberg",
    country: "DE",
    latitude: 49.452102,
    longitude: 11.076665,
    network_zone: "eu-central",
  },
  {
    id: 3,
    name: "hel1",
    description: "Helsinki DC Park 1",
    city: "Helsinki",
    country: "FI",
    latitude: 60.169855,
    longitude: 24.938379,
    network_zone: "eu-central",
  },
  {
    id: 4,
    name: "ash",
    description: "Ashburn, VA",
    city: "Ashburn, VA",
    country: "US",
    latitude: 39.045821,
    longitude: -77.487073,
    network_zone: "us-east",
  },
  {
    id: 5,
    name: "hil",
    description: "Hillsboro, OR",
    city: "Hillsboro, OR",
    country: "US",
    latitude: 45.54222,
    longitude: -122.951924,
    network_zone: "us-west",
  },
  {
    id: 6,
    name: "sin",
    description: "Singapore",
    city: "Singapore",
    country: "SG",
    latitude: 1.283333,
    longitude: 103.833333,
    network_zone: "ap-southeast",
  },
];

interface HType {
  id: number;
  name: string;
  cores: number;
  memory: number;
  disk: number;
  eur: number;
}
const REAL_TYPES: HType[] = [
  { id: 104, name: "cx22", cores: 2, memory: 4, disk: 40, eur: 3.79 },
  { id: 105, name: "cx32", cores: 4, memory: 8, disk: 80, eur: 6.8 },
  { id: 22, name: "cpx21", cores: 3, memory: 4, disk: 80, eur: 7.55 },
];

const md5 = (line: string) =>
  (
    createHash("md5")
      .update(Buffer.from(line.trim().split(/\s+/)[1] ?? "", "base64"))
      .digest("hex")
      .match(/../g) ?? []
  ).join(":");
const money = (n: number) => ({ net: n.toFixed(10), gross: (n * 1.19).toFixed(10) });

export class HetznerSimulator implements ConformanceSim {
  readonly servers = new Map<number, HServer>();
  readonly firewalls = new Map<number, HFirewall>();
  readonly keys = new Map<number, HKey>();
  readonly actions = new Map<number, HAction>();
  readonly types: HType[];
  readonly server: SimServer;
  readonly #issued: string[] = [];
  readonly #pollsToActive: number;
  readonly #bootMs: number;
  readonly #rootPasswordAlways: boolean;
  readonly #actionPolls: number;
  #nextId = 42;
  #nextAction = 13;

  constructor(o: HetznerSimOptions = {}) {
    this.#pollsToActive = o.pollsToActive ?? 2;
    this.#bootMs = o.bootMs ?? Number.POSITIVE_INFINITY;
    this.#rootPasswordAlways = o.rootPasswordAlways ?? false;
    this.#actionPolls = o.actionPolls ?? 1;
    this.types = [...REAL_TYPES];
    for (let i = 0; i < (o.extraSizes ?? 0); i++) {
      this.types.push({ id: 1000 + i, name: `simx${i + 1}`, cores: 1 + (i % 16), memory: 2 + (i % 30), disk: 20 + i, eur: 4 + i * 0.25 });
    }
    const tokens = new Map<string, TokenInfo>([
      [HETZNER_TOKENS.valid, { label: "valid", grants: "all" }],
      [HETZNER_TOKENS.revoked, { label: "revoked", grants: "all", revoked: true }],
      [HETZNER_TOKENS.limited, { label: "read-only", grants: new Set(["read"]) }],
    ]);
    this.server = new SimServer(profile(), this.#routes(), tokens, o);
  }

  get url(): string {
    return this.server.url;
  }
  get requests(): readonly SimExchange[] {
    return this.server.requests;
  }
  get clock(): Clock {
    return this.server.clock;
  }
  start = () => this.server.start();
  stop = () => this.server.stop();
  injectFault(kind: FaultKind, opts?: FaultOptions): void {
    this.server.injectFault(kind, opts);
  }
  clearFaults(): void {
    this.server.clearFaults();
  }

  serverCount(): number {
    return this.servers.size;
  }
  serverIds(): string[] {
    return [...this.servers.keys()].map(String);
  }
  firewallOf(serverId: string): SimFirewallView | undefined {
    const s = this.servers.get(Number(serverId));
    if (!s) return undefined;
    const applied = s.firewalls.map((id) => this.firewalls.get(id)).filter((f): f is HFirewall => f !== undefined);
    if (applied.length === 0) return undefined;
    const inbound = applied.flatMap((f) =>
      f.rules.filter((r) => r.direction === "in").map((r) => ({ protocol: r.protocol, ports: r.port ?? "0", sources: r.source_ips })),
    );
    // Hetzner allows all outbound traffic while a firewall has no outbound rule.
    const outboundAllowed = applied.every((f) => !f.rules.some((r) => r.direction === "out"));
    return { inbound, outboundAllowed };
  }
  sshKeysOf(serverId: string): string[] {
    return this.servers.get(Number(serverId))?.keys ?? [];
  }
  userDataOf(serverId: string): string | undefined {
    return this.servers.get(Number(serverId))?.userData;
  }
  firewallCount(): number {
    return this.firewalls.size;
  }
  sshKeyCount(): number {
    return this.keys.size;
  }
  issuedSecrets(): string[] {
    return [...this.#issued];
  }
  catalog() {
    return { regions: LOCATIONS.length, sizes: this.types.length };
  }

  // --- wire objects ---
  #typeObj(t: HType) {
    return {
      architecture: "x86",
      category: "cost_optimized",
      cores: t.cores,
      cpu_type: "shared",
      deprecated: false,
      deprecation: null,
      description: t.name.toUpperCase(),
      disk: t.disk,
      id: t.id,
      locations: LOCATIONS.map((l) => ({ deprecation: null, id: l.id, name: l.name })),
      memory: t.memory,
      name: t.name,
      prices: LOCATIONS.map((l) => {
        const factor = l.network_zone === "eu-central" ? 1 : 1.25;
        return {
          included_traffic: 21990232555520,
          location: l.name,
          price_hourly: money(Math.round((t.eur * factor) / 0.73) / 1000),
          price_monthly: money(Math.round(t.eur * factor * 100) / 100),
          price_per_tb_traffic: money(1),
        };
      }),
      storage_type: "local",
    };
  }
  #location(name: string) {
    return LOCATIONS.find((l) => l.name === name) ?? (LOCATIONS[0] as (typeof LOCATIONS)[number]);
  }
  #progress(s: HServer, now: number) {
    s.polls += 1;
    if (s.status === "initializing" && (s.polls >= this.#pollsToActive || now - s.created >= this.#bootMs)) s.status = "running";
  }
  #serverObj(s: HServer) {
    const t = this.types.find((x) => x.name === s.type) ?? (REAL_TYPES[0] as HType);
    const loc = this.#location(s.location);
    const running = s.status !== "initializing";
    return {
      backup_window: null,
      created: iso(s.created),
      datacenter: {
        description: `${loc.description} virtual DC 1`,
        id: loc.id,
        location: loc,
        name: `${loc.name}-dc1`,
        server_types: {
          available: this.types.map((x) => x.id),
          available_for_migration: this.types.map((x) => x.id),
          supported: this.types.map((x) => x.id),
        },
      },
      id: s.id,
      image: {
        architecture: "x86",
        bound_to: null,
        created: "2023-06-13T06:00:02Z",
        created_from: null,
        deleted: null,
        deprecated: null,
        description: "Debian 12",
        disk_size: 5,
        id: 114690387,
        image_size: null,
        labels: {},
        name: "debian-12",
        os_flavor: "debian",
        os_version: "12",
        protection: { delete: false },
        rapid_deploy: true,
        status: "available",
        type: "system",
      },
      included_traffic: 21990232555520,
      ingoing_traffic: running ? 0 : null,
      iso: null,
      labels: s.labels,
      load_balancers: [],
      location: loc,
      locked: false,
      name: s.name,
      outgoing_traffic: running ? 0 : null,
      placement_group: null,
      primary_disk_size: t.disk,
      private_net: [],
      protection: { delete: false, rebuild: false },
      public_net: {
        firewalls: s.firewalls.map((id) => ({ id, status: "applied" })),
        floating_ips: [],
        ipv4: { blocked: false, dns_ptr: `static.${s.id}.clients.your-server.de`, id: s.id + 1000, ip: `198.51.100.${s.id % 250}` },
        ipv6: { blocked: false, dns_ptr: [], id: s.id + 2000, ip: `2001:db8:${(s.id % 65535).toString(16)}::/64` },
      },
      rescue_enabled: false,
      server_type: this.#typeObj(t),
      status: s.status,
      volumes: [],
    };
  }
  #actionObj(a: HAction) {
    return {
      command: a.command,
      error: null,
      finished: a.done ? iso(a.started + 1000) : null,
      id: a.id,
      progress: a.done ? 100 : 0,
      resources: a.resources,
      started: iso(a.started),
      status: a.done ? "success" : "running",
    };
  }
  #newAction(command: string, resources: HAction["resources"], now: number, done: boolean, onDone?: () => void): HAction {
    const a: HAction = { id: this.#nextAction++, command, resources, started: now, polls: 0, done, onDone };
    this.actions.set(a.id, a);
    return a;
  }
  #firewallObj(f: HFirewall) {
    const appliedTo = [...this.servers.values()]
      .filter((s) => s.firewalls.includes(f.id))
      .map((s) => ({ type: "server", server: { id: s.id } }));
    return { applied_to: appliedTo, created: iso(f.created), id: f.id, labels: f.labels, name: f.name, rules: f.rules };
  }
  #keyObj(k: HKey) {
    return { created: iso(k.created), fingerprint: k.fingerprint, id: k.id, labels: k.labels, name: k.name, public_key: k.public_key };
  }
  #paged<T>(ctx: RouteContext, key: string, items: T[]) {
    const p = pageOf(items, ctx.query, { perPage: 25, max: 50 });
    return {
      status: 200,
      body: {
        [key]: p.slice,
        meta: {
          pagination: {
            last_page: p.lastPage,
            next_page: p.page < p.lastPage ? p.page + 1 : null,
            page: p.page,
            per_page: p.perPage,
            previous_page: p.page > 1 ? p.page - 1 : null,
            total_entries: p.total,
          },
        },
      },
    };
  }

  #routes(): Route[] {
    const r = (method: string, path: string, handle: Route["handle"], op?: SimOperation): Route => ({
      method,
      path,
      handle,
      op,
      perms: method === "GET" ? ["read"] : ["write"],
    });
    const labelsOf = (v: unknown): Record<string, string> | { bad: true } => {
      if (v === undefined) return {};
      if (!v || typeof v !== "object" || Array.isArray(v)) return { bad: true };
      for (const [k, x] of Object.entries(v))
        if (typeof x !== "string" || k.includes(":") || !/^(()|[a-z0-9A-Z]|([a-z0-9A-Z][a-z0-9A-Z._-]{0,61}[a-z0-9A-Z]))$/.test(x))
          return { bad: true };
      return v as Record<string, string>;
    };
    return [
      r("GET", "/locations", (ctx) => this.#paged(ctx, "locations", LOCATIONS), "list_regions"),
      r(
        "GET",
        "/server_types",
        (ctx) =>
          this.#paged(
            ctx,
            "server_types",
            this.types.map((t) => this.#typeObj(t)),
          ),
        "list_sizes",
      ),
      r(
        "GET",
        "/servers",
        (ctx) => {
          const name = ctx.query.get("name");
          const list = [...this.servers.values()].filter(
            (s) => (name === null || s.name === name) && matchesSelector(s.labels, ctx.query.get("label_selector")),
          );
          for (const s of list) this.#progress(s, ctx.now);
          return this.#paged(
            ctx,
            "servers",
            list.map((s) => this.#serverObj(s)),
          );
        },
        "list_servers",
      ),
      r(
        "POST",
        "/servers",
        (ctx) => {
          const b = (ctx.body ?? {}) as Record<string, unknown>;
          if (typeof b.name !== "string" || typeof b.server_type !== "string" || typeof b.image !== "string")
            return err(400, "invalid_input", "invalid input in fields 'name', 'server_type', 'image'");
          if (!this.types.some((t) => t.name === b.server_type)) return err(400, "invalid_input", `server type ${b.server_type} not found`);
          const location = typeof b.location === "string" ? b.location : "fsn1";
          if (!LOCATIONS.some((l) => l.name === location)) return err(400, "invalid_input", `location ${location} not found`);
          if (typeof b.user_data === "string" && Buffer.byteLength(b.user_data) > 32 * 1024)
            return err(400, "invalid_input", "invalid input in field 'user_data': too long");
          const labels = labelsOf(b.labels);
          if ("bad" in labels) return err(400, "invalid_input", "invalid input in field 'labels'");
          if ([...this.servers.values()].some((s) => s.name === b.name)) return err(409, "uniqueness_error", "server name is already used");
          const keys: string[] = [];
          for (const ref of Array.isArray(b.ssh_keys) ? (b.ssh_keys as unknown[]) : []) {
            const k = /^\d+$/.test(String(ref)) ? this.keys.get(Number(ref)) : [...this.keys.values()].find((x) => x.name === ref);
            if (!k) return err(400, "invalid_input", `SSH key ${String(ref)} not found`);
            keys.push(k.public_key);
          }
          const firewalls: number[] = [];
          for (const f of Array.isArray(b.firewalls) ? (b.firewalls as { firewall?: unknown }[]) : []) {
            if (!this.firewalls.has(Number(f.firewall))) return err(400, "invalid_input", `firewall ${String(f.firewall)} not found`);
            firewalls.push(Number(f.firewall));
          }
          const s: HServer = {
            id: this.#nextId++,
            name: b.name,
            status: "initializing",
            created: ctx.now,
            polls: 0,
            type: b.server_type,
            location,
            labels,
            keys,
            firewalls,
            userData: typeof b.user_data === "string" ? b.user_data : undefined,
          };
          this.servers.set(s.id, s);
          const rootPassword = keys.length === 0 || this.#rootPasswordAlways ? fakePassword(this.server.random) : null;
          if (rootPassword) this.#issued.push(rootPassword);
          const action = this.#newAction("create_server", [{ id: s.id, type: "server" }], ctx.now, false);
          return {
            status: 201,
            body: {
              action: this.#actionObj(action),
              next_actions: [this.#actionObj(this.#newAction("start_server", [{ id: s.id, type: "server" }], ctx.now, false))],
              root_password: rootPassword,
              server: this.#serverObj(s),
            },
          };
        },
        "create_server",
      ),
      r(
        "GET",
        "/servers/:id",
        (ctx) => {
          const s = this.servers.get(Number(ctx.params.id));
          if (!s) return err(404, "not_found", `server with ID '${ctx.params.id}' not found`);
          this.#progress(s, ctx.now);
          return { status: 200, body: { server: this.#serverObj(s) } };
        },
        "get_server",
      ),
      r(
        "DELETE",
        "/servers/:id",
        (ctx) => {
          const s = this.servers.get(Number(ctx.params.id));
          if (!s) return err(404, "not_found", `server with ID '${ctx.params.id}' not found`);
          s.status = "deleting";
          const a = this.#newAction("delete_server", [{ id: s.id, type: "server" }], ctx.now, false, () => this.servers.delete(s.id));
          return { status: 200, body: { action: this.#actionObj(a) } };
        },
        "delete_server",
      ),
      r(
        "POST",
        "/servers/:id/actions/reboot",
        (ctx) => {
          const s = this.servers.get(Number(ctx.params.id));
          if (!s) return err(404, "not_found", `server with ID '${ctx.params.id}' not found`);
          return {
            status: 201,
            body: { action: this.#actionObj(this.#newAction("reboot_server", [{ id: s.id, type: "server" }], ctx.now, false)) },
          };
        },
        "reboot_server",
      ),
      r(
        "GET",
        "/actions/:id",
        (ctx) => {
          const a = this.actions.get(Number(ctx.params.id));
          if (!a) return err(404, "not_found", `action with ID '${ctx.params.id}' not found`);
          a.polls += 1;
          if (!a.done && a.polls >= this.#actionPolls) {
            a.done = true;
            a.onDone?.();
          }
          return { status: 200, body: { action: this.#actionObj(a) } };
        },
        "get_action",
      ),
      r(
        "GET",
        "/firewalls",
        (ctx) => {
          const name = ctx.query.get("name");
          const list = [...this.firewalls.values()].filter(
            (f) => (name === null || f.name === name) && matchesSelector(f.labels, ctx.query.get("label_selector")),
          );
          return this.#paged(
            ctx,
            "firewalls",
            list.map((f) => this.#firewallObj(f)),
          );
        },
        "list_firewalls",
      ),
      r(
        "POST",
        "/firewalls",
        (ctx) => {
          const b = (ctx.body ?? {}) as Record<string, unknown>;
          if (typeof b.name !== "string") return err(400, "invalid_input", "invalid input in field 'name'");
          if ([...this.firewalls.values()].some((f) => f.name === b.name))
            return err(409, "uniqueness_error", "firewall name is already used");
          const labels = labelsOf(b.labels);
          if ("bad" in labels) return err(400, "invalid_input", "invalid input in field 'labels'");
          const rules: HFirewall["rules"] = [];
          for (const x of Array.isArray(b.rules) ? (b.rules as Record<string, unknown>[]) : []) {
            if (x.direction !== "in" && x.direction !== "out") return err(400, "invalid_input", "invalid input in field 'direction'");
            if (!["tcp", "udp", "icmp", "esp", "gre"].includes(String(x.protocol)))
              return err(400, "invalid_input", "invalid input in field 'protocol'");
            rules.push({
              direction: x.direction,
              protocol: String(x.protocol),
              port: typeof x.port === "string" ? x.port : null,
              source_ips: Array.isArray(x.source_ips) ? (x.source_ips as string[]) : [],
              destination_ips: Array.isArray(x.destination_ips) ? (x.destination_ips as string[]) : [],
              description: typeof x.description === "string" ? x.description : null,
            });
          }
          const f: HFirewall = { id: this.#nextId++, name: b.name, created: ctx.now, labels, rules };
          this.firewalls.set(f.id, f);
          return { status: 201, body: { actions: [], firewall: this.#firewallObj(f) } };
        },
        "create_firewall",
      ),
      r(
        "DELETE",
        "/firewalls/:id",
        (ctx) => {
          const id = Number(ctx.params.id);
          if (!this.firewalls.has(id)) return err(404, "not_found", `firewall with ID '${ctx.params.id}' not found`);
          if ([...this.servers.values()].some((s) => s.firewalls.includes(id)))
            return err(422, "resource_in_use", "Firewall still applied to a resource");
          this.firewalls.delete(id);
          return { status: 204 };
        },
        "delete_firewall",
      ),
      r(
        "GET",
        "/ssh_keys",
        (ctx) => {
          const fp = ctx.query.get("fingerprint");
          const name = ctx.query.get("name");
          const list = [...this.keys.values()].filter(
            (k) =>
              (fp === null || k.fingerprint === fp) &&
              (name === null || k.name === name) &&
              matchesSelector(k.labels, ctx.query.get("label_selector")),
          );
          return this.#paged(
            ctx,
            "ssh_keys",
            list.map((k) => this.#keyObj(k)),
          );
        },
        "list_ssh_keys",
      ),
      r(
        "POST",
        "/ssh_keys",
        (ctx) => {
          const b = (ctx.body ?? {}) as Record<string, unknown>;
          if (typeof b.name !== "string" || !looksLikePublicKey(b.public_key))
            return err(400, "invalid_input", "invalid input in field 'public_key'");
          const labels = labelsOf(b.labels);
          if ("bad" in labels) return err(400, "invalid_input", "invalid input in field 'labels'");
          const fingerprint = md5(b.public_key);
          if ([...this.keys.values()].some((k) => k.name === b.name || k.fingerprint === fingerprint))
            return err(409, "uniqueness_error", "SSH key with the same fingerprint or name already exists");
          const k: HKey = { id: this.#nextId++, name: b.name, public_key: b.public_key, fingerprint, labels, created: ctx.now };
          this.keys.set(k.id, k);
          return { status: 201, body: { ssh_key: this.#keyObj(k) } };
        },
        "create_ssh_key",
      ),
      r(
        "DELETE",
        "/ssh_keys/:id",
        (ctx) => {
          if (!this.keys.delete(Number(ctx.params.id))) return err(404, "not_found", `SSH key with ID '${ctx.params.id}' not found`);
          return { status: 204 };
        },
        "delete_ssh_key",
      ),
    ];
  }
}

function err(status: number, code: string, message: string) {
  return { status, body: { error: { code, message, details: null } } };
}

class HetznerRateLimiter implements RateLimiter {
  readonly bucket = new TokenBucket(3600, 1);
  take(key: string, now: number) {
    const t = this.bucket.take(key, now);
    const headers = {
      "ratelimit-limit": "3600",
      "ratelimit-remaining": String(t.remaining),
      "ratelimit-reset": String(Math.ceil(t.fullAt / 1000)),
    };
    return t.ok ? { ok: true as const, headers } : { ok: false as const, headers, retryAfterSeconds: 1 };
  }
}

function profile(): ProviderProfile {
  return {
    basePath: "/v1",
    rateKey: "token",
    error: (status, code, message) => err(status, code, message),
    unauthorized: () => err(401, "unauthorized", "unable to authenticate"),
    forbidden: () => err(403, "token_readonly", "The token is read-only and cannot perform this operation"),
    rateLimiter: new HetznerRateLimiter(),
    injectedRateLimit: (seconds, now) => ({
      ...err(429, "rate_limit_exceeded", "Rate limit exceeded"),
      headers: { "ratelimit-limit": "3600", "ratelimit-remaining": "0", "ratelimit-reset": String(Math.ceil(now / 1000) + seconds) },
    }),
  };
}

export async function startHetznerSimulator(o: HetznerSimOptions = {}): Promise<HetznerSimulator> {
  const sim = new HetznerSimulator(o);
  await sim.start();
  return sim;
}
