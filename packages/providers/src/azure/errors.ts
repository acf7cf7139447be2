// Azure failures → ProviderError. ARM answers `{"error":{"code","message"}}` with the HTTP status;
// the SDKs throw a RestError carrying both. Entra ID refusals (a wrong secret, an unknown app or
// tenant) come from @azure/identity as AuthenticationError. Messages are ours plus ARM's error
// code: ARM messages echo resource ids, which are fine, but never the secret, which ARM never sees.

import { ProviderError, type ProviderErrorKind } from "../spec.ts";
import { retryAfterMs } from "./throttle.ts";

interface RestLike {
  name?: string;
  message?: string;
  statusCode?: number;
  code?: string;
  response?: { headers?: { get(name: string): string | undefined | null } };
}

/** What @azure/identity throws when Entra ID does not issue a token. */
const IDENTITY_ERRORS = new Set([
  "AuthenticationError",
  "AuthenticationRequiredError",
  "CredentialUnavailableError",
  "AggregateAuthenticationError",
]);
const FORBIDDEN = new Set(["AuthorizationFailed", "LinkedAuthorizationFailed", "RequestDisallowedByPolicy"]);
const QUOTA = new Set(["OperationNotAllowed", "QuotaExceeded", "PublicIPCountLimitReached", "SkuNotAvailable"]);
/** Long-running operation failures worth another attempt (capacity, timeouts, Azure's own faults). */
const TRANSIENT_LRO = new Set([
  "AllocationFailed",
  "ZonalAllocationFailed",
  "OSProvisioningTimedOut",
  "InternalServerError",
  "InternalOperationError",
  "RetryableError",
]);
const INVALID_SUBSCRIPTION = new Set(["SubscriptionNotFound", "InvalidSubscriptionId", "ResourceGroupNotFound"]);

/** ARM's message, trimmed: enough to act on, never a wall of JSON. */
const trim = (s: string | undefined) => (s ?? "").replace(/\s+/g, " ").slice(0, 300);

function kindOf(status: number | undefined, code: string | undefined): ProviderErrorKind {
  if (code && FORBIDDEN.has(code)) return "forbidden";
  if (code && INVALID_SUBSCRIPTION.has(code)) return "invalid";
  if (code && QUOTA.has(code) && status !== 400) return "quota";
  switch (status) {
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 400:
    case 422:
      return "invalid";
    case 409:
    case 412:
      return "conflict";
    case 429:
      return "rate_limited";
    default:
      return status !== undefined && status >= 500 ? "unavailable" : "unknown";
  }
}

export function toProviderError(err: unknown, op: string, timeoutMs: number): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = (err ?? {}) as RestLike;
  if (e.name !== undefined && IDENTITY_ERRORS.has(e.name)) {
    // Entra ID's own words are not passed on whole (they carry trace ids); its error codes are.
    const codes = [...new Set((e.message ?? "").match(/AADSTS\d+|invalid_client|unauthorized_client|invalid_request/g) ?? [])].join(", ");
    if (!codes && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|socket|network/i.test(e.message ?? "")) {
      return new ProviderError({ provider: "azure", kind: "unavailable", message: `Azure ${op}: Entra ID (login) could not be reached` });
    }
    return new ProviderError({
      provider: "azure",
      kind: "unauthorized",
      status: 401,
      message: `Azure (Entra ID) refused the service principal's key${codes ? ` [${codes}]` : ""}: check the tenant id, client id and client secret, and that the secret has not expired.`,
    });
  }
  const lro = /^The long-running operation has failed(?:\. ([\w.]+)\. ([\s\S]*))?$/.exec(e.message ?? "");
  if (lro && e.statusCode === undefined) {
    const code = lro[1] ?? "Failed";
    const kind: ProviderErrorKind = QUOTA.has(code) ? "quota" : TRANSIENT_LRO.has(code) ? "unavailable" : "invalid";
    return new ProviderError({ provider: "azure", kind, message: `Azure ${op}: the operation failed: ${trim(lro[2] ?? "")} [${code}]` });
  }
  if (e.name === "AbortError" || (/aborted|timeout/i.test(e.message ?? "") && e.statusCode === undefined)) {
    return new ProviderError({ provider: "azure", kind: "unavailable", message: `Azure ${op}: no answer within ${timeoutMs} ms` });
  }
  const status = e.statusCode;
  if (status === undefined) {
    return new ProviderError({
      provider: "azure",
      kind: "unavailable",
      message: `Azure ${op}: the connection failed (${trim(e.message)})`,
    });
  }
  const kind = kindOf(status, e.code);
  const retryAfter = retryAfterMs(e.response?.headers?.get("retry-after") ?? undefined);
  const code = e.code ? ` [${e.code}]` : "";
  const hint =
    kind === "unauthorized"
      ? "Azure did not accept the access token: check the service principal's key"
      : kind === "forbidden"
        ? "the service principal lacks a permission on the resource group (see the role Claw Cloud asks for)"
        : trim(e.message);
  return new ProviderError({
    provider: "azure",
    kind,
    status,
    message: `Azure ${op}: ${hint}${code}`,
    ...(retryAfter !== undefined ? { retryAfter: Math.ceil(retryAfter / 1000) } : kind === "rate_limited" ? { retryAfter: 60 } : {}),
  });
}
