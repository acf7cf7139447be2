// GCP failures → ProviderError. Over REST a non-2xx answer surfaces from the auth client's
// transport (gaxios) as an error carrying the HTTP `status`, the body as its message and the
// answer's headers; errors decoded by google-gax itself carry a gRPC `code` instead. Both are
// mapped here. Compute Engine rarely sends Retry-After (it asks for exponential backoff): when it
// does not, a rate-limited call is reported with a fixed backoff. Messages are Compute Engine's
// own (they name resources, never the key) after ours.

import { ProviderError, type ProviderErrorKind } from "../spec.ts";

/** What the worker should wait after a GCP 429/rateLimitExceeded: Google gives no figure. */
export const GCP_RATE_LIMIT_BACKOFF_SECONDS = 30;

// gRPC status → [HTTP status, kind]
const BY_RPC: Record<number, [number, ProviderErrorKind]> = {
  3: [400, "invalid"],
  4: [504, "unavailable"],
  5: [404, "not_found"],
  6: [409, "conflict"],
  7: [403, "forbidden"],
  8: [429, "rate_limited"],
  9: [400, "invalid"],
  10: [409, "conflict"],
  13: [500, "unavailable"],
  14: [503, "unavailable"],
  16: [401, "unauthorized"],
};

interface GoogleErrorLike {
  code?: number | string;
  /** The HTTP status (gaxios). */
  status?: number;
  message?: string;
  name?: string;
  response?: { headers?: { get?(name: string): string | null } };
}

const HTTP_TO_RPC: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 409: 10, 412: 9, 429: 8, 500: 13, 502: 14, 503: 14, 504: 4 };

/** Google's error body `{"error":{"message"}}` → its message; anything else as it is. */
function bodyMessage(text: string | undefined): string {
  try {
    const m = (JSON.parse(text ?? "") as { error?: { message?: string } }).error?.message;
    if (typeof m === "string") return m;
  } catch {
    // not JSON
  }
  return text ?? "";
}

const trim = (s: string | undefined) => (s ?? "").replace(/\s+/g, " ").slice(0, 300);

export function toProviderError(err: unknown, op: string): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = (err ?? {}) as GoogleErrorLike;
  const http = typeof e.status === "number" ? e.status : undefined;
  const rpc = http !== undefined ? (HTTP_TO_RPC[http] ?? (http >= 500 ? 13 : 3)) : typeof e.code === "number" ? e.code : undefined;
  const mapped = rpc !== undefined ? BY_RPC[rpc] : undefined;
  if (!mapped) {
    return new ProviderError({ provider: "gcp", kind: "unavailable", message: `GCP ${op}: the connection failed (${trim(e.message)})` });
  }
  // 429 (RESOURCE_EXHAUSTED) is always the per-minute API quota: resource quotas (CPUs,
  // addresses) come back in the operation's error instead (operationError below).
  let [status, kind] = mapped;
  if (http !== undefined) status = http;
  const msg = trim(bodyMessage(e.message));
  // Compute Engine reports its per-minute API quota as 403 rateLimitExceeded.
  if (kind === "forbidden" && /rate ?limit/i.test(msg)) [status, kind] = [429, "rate_limited"];
  const text =
    kind === "unauthorized"
      ? "Google did not accept the service account key (deleted, disabled, or not this project's): create a new key"
      : kind === "forbidden"
        ? `the service account lacks a permission (${msg})`
        : msg;
  return new ProviderError({
    provider: "gcp",
    kind,
    status,
    message: `GCP ${op}: ${text}`,
    ...(kind === "rate_limited" ? { retryAfter: retryAfterOf(e) ?? GCP_RATE_LIMIT_BACKOFF_SECONDS } : {}),
  });
}

function retryAfterOf(e: GoogleErrorLike): number | undefined {
  const v = e.response?.headers?.get?.("retry-after")?.trim();
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** An operation that finished with `error`: its first error's code and message. */
export function operationError(op: string, error: { errors?: { code?: string | null; message?: string | null }[] | null }): ProviderError {
  const first = error.errors?.[0];
  const code = first?.code ?? "UNKNOWN";
  const kind: ProviderErrorKind = /QUOTA|LIMIT_EXCEEDED/.test(code)
    ? "quota"
    : /RESOURCE_POOL_EXHAUSTED|UNAVAILABLE|INTERNAL/.test(code)
      ? "unavailable"
      : /NOT_FOUND/.test(code)
        ? "not_found"
        : /ALREADY_EXISTS/.test(code)
          ? "conflict"
          : "invalid";
  return new ProviderError({ provider: "gcp", kind, message: `GCP ${op}: ${trim(first?.message ?? "the operation failed")} [${code}]` });
}
