// The HTTP layer every REST driver shares: bearer auth, JSON in and out, a timeout on the whole
// exchange (headers and body), provider errors mapped to ProviderError with a message a person can
// act on, rate-limit headers turned into `retryAfter`, and a pagination loop. A driver supplies a
// ProviderDialect (how its API spells errors and rate-limit headers); nothing here knows a provider.

import type { z } from "zod";
import { type DriverOptions, ProviderError, type ProviderErrorKind, type ProviderId } from "./spec.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type QueryValue = string | number | boolean | undefined | readonly (string | number)[];

export interface ApiRequest {
  method: HttpMethod;
  /** Path below the base URL, starting with "/". Path segments are the caller's to encode. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** What we were doing, for messages: "create the droplet", "list sizes". */
  action: string;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

export interface ProviderDialect {
  provider: ProviderId;
  /** As people know it: "DigitalOcean". */
  displayName: string;
  /** The provider's own error code and message from an error body. */
  parseError(body: unknown): { code?: string; message?: string };
  /** Refines the kind the status alone gives (quota, conflict, a read-only token…). */
  classify?(status: number, code: string | undefined, message: string | undefined): ProviderErrorKind | undefined;
  /** What a person should do about an error of this kind; appended to the message. */
  advice: Partial<Record<ProviderErrorKind, string>>;
  /** Seconds to wait after a 429 (or a 503 with Retry-After), read from the response headers. */
  retryAfter(headers: Headers, nowMs: number): number | undefined;
}

export interface ApiClientOptions {
  dialect: ProviderDialect;
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

export interface ApiClient {
  readonly dialect: ProviderDialect;
  /** Sends the request; a non-2xx answer (other than those in `accept`) becomes a ProviderError. */
  send(req: ApiRequest, accept?: readonly number[]): Promise<ApiResponse>;
  /** Sends and parses a 2xx JSON body with the schema (which drops every field it does not name). */
  json<S extends z.ZodType>(req: ApiRequest, schema: S): Promise<z.output<S>>;
  /** Parses a response `send` accepted (see parseResponse). */
  parse<S extends z.ZodType>(schema: S, res: ApiResponse, action: string): z.output<S>;
  /** GETs one resource: undefined on 404, else its body parsed with the schema. */
  getOptional<S extends z.ZodType>(path: string, action: string, schema: S): Promise<z.output<S> | undefined>;
  now(): number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_PROVIDER_MESSAGE = 300;

export function createApiClient(o: ApiClientOptions): ApiClient {
  const doFetch = o.fetch ?? globalThis.fetch;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = o.now ?? Date.now;
  const base = o.baseUrl.replace(/\/+$/, "");
  const { dialect } = o;
  if (!o.token)
    throw new ProviderError({ provider: dialect.provider, kind: "unauthorized", message: `No ${dialect.displayName} token was given.` });

  async function send(req: ApiRequest, accept: readonly number[] = []): Promise<ApiResponse> {
    const url = base + req.path + queryString(req.query);
    const headers: Record<string, string> = { authorization: `Bearer ${o.token}`, accept: "application/json" };
    if (req.body !== undefined) headers["content-type"] = "application/json";
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await doFetch(url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: controller.signal,
        redirect: "error",
      });
      text = await res.text();
    } catch (cause) {
      const message = timedOut
        ? `${dialect.displayName} did not answer within ${timeoutMs} ms while we tried to ${req.action}; the request may or may not have taken effect, and retrying is safe.`
        : `Could not reach ${dialect.displayName} to ${req.action} (${networkErrorCode(cause)}); this is usually temporary.`;
      throw new ProviderError({ provider: dialect.provider, kind: "unavailable", message, cause: timedOut ? undefined : cause });
    } finally {
      clearTimeout(timer);
    }
    const body = parseBody(text);
    if ((res.status >= 200 && res.status < 300) || accept.includes(res.status)) return { status: res.status, headers: res.headers, body };
    throw errorFromResponse(dialect, req.action, res.status, res.headers, body, now());
  }

  async function json<S extends z.ZodType>(req: ApiRequest, schema: S): Promise<z.output<S>> {
    const res = await send(req);
    return parseResponse(dialect, schema, res, req.action);
  }

  function parse<S extends z.ZodType>(schema: S, res: ApiResponse, action: string): z.output<S> {
    return parseResponse(dialect, schema, res, action);
  }

  async function getOptional<S extends z.ZodType>(path: string, action: string, schema: S): Promise<z.output<S> | undefined> {
    const res = await send({ method: "GET", path, action }, [404]);
    return res.status === 404 ? undefined : parse(schema, res, action);
  }

  return { dialect, send, json, parse, getOptional, now };
}

/** The client of a bearer-token driver, from its DriverOptions (endpoint, fetch, timeout, clock). */
export function createDriverApiClient(dialect: ProviderDialect, defaultBaseUrl: string, opts: DriverOptions<{ token: string }>): ApiClient {
  return createApiClient({
    dialect,
    baseUrl: opts.baseUrl ?? defaultBaseUrl,
    token: opts.credentials.token,
    fetch: opts.fetch,
    timeoutMs: opts.timeoutMs,
    now: opts.now,
  });
}

/** Parses a response body with the schema; a mismatch is an `unknown` error naming fields, never values. */
export function parseResponse<S extends z.ZodType>(dialect: ProviderDialect, schema: S, res: ApiResponse, action: string): z.output<S> {
  const parsed = schema.safeParse(res.body);
  if (parsed.success) return parsed.data;
  // Name the fields, never their values: a response can hold a password or user-data.
  const where = parsed.error.issues
    .slice(0, 5)
    .map((i) => i.path.join(".") || "(body)")
    .join(", ");
  throw new ProviderError({
    provider: dialect.provider,
    kind: "unknown",
    status: res.status,
    message: `${dialect.displayName} answered the request to ${action} in a shape we do not understand (at ${where}). Its API may have changed.`,
  });
}

function queryString(query: ApiRequest["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, String(item));
    else params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

function parseBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function networkErrorCode(cause: unknown): string {
  let e: unknown = cause;
  for (let i = 0; i < 4 && e; i++) {
    if (typeof e === "object" && e !== null && "code" in e && typeof e.code === "string") return e.code;
    e = typeof e === "object" && e !== null && "cause" in e ? e.cause : undefined;
  }
  return cause instanceof Error ? cause.message.slice(0, 80) : "network error";
}

/** Control characters out, length capped: the provider's words are shown to people and logged. */
export function cleanProviderMessage(message: string | undefined): string | undefined {
  if (!message) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = message.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  if (!clean) return undefined;
  return clean.length > MAX_PROVIDER_MESSAGE ? `${clean.slice(0, MAX_PROVIDER_MESSAGE)}…` : clean;
}

export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 429) return "rate_limited";
  if (status === 408 || status >= 500) return "unavailable";
  if (status === 400 || status === 422) return "invalid";
  return "unknown";
}

export function errorFromResponse(
  dialect: ProviderDialect,
  action: string,
  status: number,
  headers: Headers,
  body: unknown,
  nowMs: number,
): ProviderError {
  const parsed = dialect.parseError(body);
  const code = parsed.code;
  const said = cleanProviderMessage(parsed.message);
  const kind = dialect.classify?.(status, code, said) ?? kindForStatus(status);
  const name = dialect.displayName;
  const tag = code ? `${status} ${code}` : `${status}`;
  const quote = said ? `: "${said}"` : "";
  const advice = dialect.advice[kind];
  const retryAfter = kind === "rate_limited" || status === 503 ? dialect.retryAfter(headers, nowMs) : undefined;
  let message: string;
  switch (kind) {
    case "unauthorized":
      message = `${name} refused the token: it is invalid, expired or revoked (${tag}).`;
      break;
    case "forbidden":
      message = `${name} refused to let this token ${action}: it lacks a permission (${tag})${quote}.`;
      break;
    case "not_found":
      message = `${name} could not find what we asked for while trying to ${action} (${tag})${quote}.`;
      break;
    case "quota":
      message = `${name} refused to ${action} because an account limit was reached (${tag})${quote}.`;
      break;
    case "conflict":
      message = `${name} reported a conflict while trying to ${action} (${tag})${quote}; retrying shortly usually resolves it.`;
      break;
    case "rate_limited":
      message = `${name} is rate-limiting this token (${tag}); retry in ${retryAfter ?? "a few"} s.`;
      break;
    case "unavailable":
      message = `${name} had a problem on its side while we tried to ${action} (${tag})${quote}; this is usually temporary.`;
      break;
    case "invalid":
      message = `${name} rejected the request to ${action} (${tag})${quote}.`;
      break;
    default:
      message = `${name} answered the request to ${action} with an unexpected error (${tag})${quote}.`;
  }
  if (advice) message += ` ${advice}`;
  return new ProviderError({ provider: dialect.provider, kind, status, message, retryAfter });
}

// --- rate-limit headers ---------------------------------------------------------------------

/** Retry-After as delta-seconds or an HTTP date, in whole seconds (at least 1). */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.max(1, Math.ceil(Number(v)));
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(1, Math.ceil((at - nowMs) / 1000));
}

/** A reset header holding a Unix time in seconds → seconds from now (at least 1). */
export function secondsUntilEpoch(value: string | null, nowMs: number): number | undefined {
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return Math.max(1, Math.ceil(Number(value.trim()) - nowMs / 1000));
}

// --- pagination -----------------------------------------------------------------------------

export interface Page<T, C> {
  items: T[];
  /** The next page's cursor (a page number or an opaque cursor); undefined on the last page. */
  next: C | undefined;
}

/**
 * Follows pages until the provider says there are no more. Stops with an error rather than
 * looping if a provider hands back a cursor it already gave (a bug there must not hang a worker).
 */
export async function collectPages<T, C extends string | number>(
  provider: ProviderId,
  first: C | undefined,
  fetchPage: (cursor: C | undefined) => Promise<Page<T, C>>,
  maxPages = 1000,
): Promise<T[]> {
  const out: T[] = [];
  const seen = new Set<C>();
  let cursor = first;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetchPage(cursor);
    out.push(...page.items);
    if (page.next === undefined || page.next === "" || page.items.length === 0) return out;
    if (seen.has(page.next)) break;
    seen.add(page.next);
    cursor = page.next;
  }
  throw new ProviderError({
    provider,
    kind: "unknown",
    message: `The ${provider} API kept returning more pages than expected (over ${maxPages}); stopped listing.`,
  });
}

/** Page-number pagination (`?page=N&per_page=…`, the first page being 1): ListOptions.pageQuery. */
export const numberedPages =
  (perPage: number) =>
  (page: number | undefined): Record<string, QueryValue> => ({ page: page ?? 1, per_page: perPage });

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface ListOptions<S extends z.ZodType, T, C extends string | number> {
  path: string;
  action: string;
  schema: S;
  items: (page: z.output<S>) => T[];
  /** Query parameters for the page at `cursor` (undefined = the first page), besides `query`. */
  pageQuery: (cursor: C | undefined) => Record<string, QueryValue>;
  /** The cursor of the page after this one, or undefined on the last page. */
  next: (page: z.output<S>, cursor: C | undefined) => C | undefined;
  query?: Record<string, QueryValue>;
}

/** Lists every item of a paginated collection (page numbers or opaque cursors). */
export function listAll<S extends z.ZodType, T, C extends string | number>(api: ApiClient, o: ListOptions<S, T, C>): Promise<T[]> {
  return collectPages<T, C>(api.dialect.provider, undefined, async (cursor) => {
    const page = await api.json({ method: "GET", path: o.path, query: { ...o.query, ...o.pageQuery(cursor) }, action: o.action }, o.schema);
    return { items: o.items(page), next: o.next(page, cursor) };
  });
}

/**
 * A driver's `list(path, action, schema, items, query?)`: listAll with the provider's pagination
 * scheme fixed. `B` is the pagination part every page schema carries.
 */
export function paginatedLister<B, C extends string | number>(
  api: ApiClient,
  scheme: { pageQuery: (cursor: C | undefined) => Record<string, QueryValue>; next: (page: B, cursor: C | undefined) => C | undefined },
) {
  return <S extends z.ZodType<B>, T>(
    path: string,
    action: string,
    schema: S,
    items: (page: z.output<S>) => T[],
    query: Record<string, QueryValue> = {},
  ) => listAll<S, T, C>(api, { path, action, schema, items, query, pageQuery: scheme.pageQuery, next: scheme.next });
}
