// GCP failures → ProviderError. Over REST the SDK (google-gax) turns Google's error body into a
// GoogleError whose `code` is the gRPC status mapped from the HTTP status; the HTTP headers are
// not kept, and Compute Engine sends no Retry-After anyway (it asks for exponential backoff), so a
// rate-limited call is reported with a fixed backoff. Messages are Compute Engine's own (they
// name resources, never the key) after ours.

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
  message?: string;
  name?: string;
}

const trim = (s: string | undefined) => (s ?? "").replace(/\s+/g, " ").slice(0, 300);

export function toProviderError(err: unknown, op: string): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = (err ?? {}) as GoogleErrorLike;
  const mapped = typeof e.code === "number" ? BY_RPC[e.code] : undefined;
  if (!mapped) {
    return new ProviderError({ provider: "gcp", kind: "unavailable", message: `GCP ${op}: the connection failed (${trim(e.message)})` });
  }
  let [status, kind] = mapped;
  const msg = trim(e.message);
  // Compute Engine reports its per-minute API quota as 403 rateLimitExceeded.
  if (kind === "forbidden" && /rate ?limit/i.test(msg)) [status, kind] = [429, "rate_limited"];
  if (kind === "rate_limited" && /quota/i.test(msg) && !/rate/i.test(msg)) kind = "quota";
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
    ...(kind === "rate_limited" ? { retryAfter: GCP_RATE_LIMIT_BACKOFF_SECONDS } : {}),
  });
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
