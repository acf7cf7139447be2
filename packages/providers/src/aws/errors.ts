// AWS error codes → ProviderError. EC2 reports failures as `<Response><Errors><Error><Code>`, STS as
// `<ErrorResponse><Error><Code>`; the SDK turns both into exceptions whose `name` is the code.
// Messages are written for people and scrubbed: AWS sometimes echoes request values, and an
// UnauthorizedOperation carries an opaque encoded policy blob; neither belongs in our logs.

import { ProviderError, type ProviderErrorKind } from "../spec.ts";
import { AwsTransportError } from "./transport.ts";

const UNAUTHORIZED = new Set([
  "AuthFailure",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "MissingAuthenticationToken",
  "UnrecognizedClientException",
  "InvalidAccessKeyId",
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
]);
const FORBIDDEN = new Set([
  "UnauthorizedOperation",
  "AccessDenied",
  "AccessDeniedException",
  "OptInRequired",
  "Blocked",
  "PendingVerification",
]);
const RATE_LIMITED = new Set(["RequestLimitExceeded", "Throttling", "ThrottlingException", "TooManyRequestsException", "SlowDown"]);
const QUOTA = new Set([
  "InstanceLimitExceeded",
  "VcpuLimitExceeded",
  "ResourceLimitExceeded",
  "SecurityGroupLimitExceeded",
  "RulesPerSecurityGroupLimitExceeded",
  "KeyPairLimitExceeded",
  "VolumeLimitExceeded",
  "MaxIOPSLimitExceeded",
  "AddressLimitExceeded",
]);
const CONFLICT = new Set([
  "IdempotentParameterMismatch",
  "DependencyViolation",
  "IncorrectState",
  "IncorrectInstanceState",
  "InvalidGroup.InUse",
]);
const UNAVAILABLE = new Set([
  "InternalError",
  "InternalFailure",
  "ServiceUnavailable",
  "Unavailable",
  "InsufficientInstanceCapacity",
  "InsufficientCapacity",
]);

const HINTS: Record<string, string> = {
  AuthFailure: "AWS did not accept the access key: check it is active and copied in full",
  InvalidClientTokenId: "AWS does not know this access key",
  SignatureDoesNotMatch: "AWS rejected the request signature: check the secret access key",
  ExpiredToken: "the temporary AWS credentials have expired",
  RequestExpired: "the request expired before AWS saw it: check this server's clock",
  UnauthorizedOperation: "the credential lacks a permission Claw Cloud needs",
  AccessDenied: "AWS denied access",
  OptInRequired: "the AWS account or region is not enabled for EC2",
  RequestLimitExceeded: "AWS is rate-limiting this account's EC2 API calls",
  Throttling: "AWS is rate-limiting this account",
  InstanceLimitExceeded: "the account has reached its EC2 instance limit",
  VcpuLimitExceeded: "the account has reached its vCPU quota for this instance family; ask AWS for a higher limit or pick a smaller size",
  SecurityGroupLimitExceeded: "the account has reached its security group limit",
  InsufficientInstanceCapacity: "AWS has no capacity for this size right now; try again later or pick another size",
  IdempotentParameterMismatch: "a create for this instance was already sent with other settings",
  DependencyViolation: "the resource is still in use",
  VPCIdNotSpecified: "this region has no default VPC; Claw Cloud launches into the default VPC",
  MissingInput: "this region has no default VPC; Claw Cloud launches into the default VPC",
};

/** Seconds suggested after RequestLimitExceeded, which carries no Retry-After header. */
export const THROTTLE_RETRY_AFTER_S = 2;

const SECRETISH = /\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b|[A-Za-z0-9+/=_-]{48,}/g;

/** Trims an AWS-supplied message to something short and free of keys, tokens and encoded blobs. */
export function scrub(message: string | undefined): string {
  if (!message) return "";
  const noBlob = message.replace(/Encoded authorization failure message:.*$/is, "").trim();
  const clean = noBlob.replace(SECRETISH, "[redacted]");
  return clean.length > 240 ? `${clean.slice(0, 237)}...` : clean;
}

function kindOf(code: string, status: number | undefined): ProviderErrorKind {
  if (UNAUTHORIZED.has(code)) return "unauthorized";
  if (FORBIDDEN.has(code)) return "forbidden";
  if (RATE_LIMITED.has(code)) return "rate_limited";
  if (QUOTA.has(code) || code.endsWith("LimitExceeded")) return "quota";
  if (CONFLICT.has(code)) return "conflict";
  if (UNAVAILABLE.has(code)) return "unavailable";
  if (code.endsWith(".NotFound") || code === "NotFound") return "not_found";
  if (status !== undefined && status >= 500) return "unavailable";
  if (status === 429) return "rate_limited";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status !== undefined && status >= 400) return "invalid";
  return "unknown";
}

interface SdkError {
  name?: unknown;
  message?: unknown;
  Code?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: { headers?: Record<string, string> };
}

function retryAfterOf(err: SdkError): number | undefined {
  const raw = err.$response?.headers?.["retry-after"];
  if (!raw) return undefined;
  const secs = Number(raw);
  return Number.isFinite(secs) && secs >= 0 ? secs : undefined;
}

/** Maps anything a call to AWS threw to a ProviderError; `action` is the API action, for the message. */
export function toProviderError(err: unknown, action: string): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof AwsTransportError) {
    return new ProviderError({
      provider: "aws",
      kind: "unavailable",
      message: `AWS ${action}: ${err.reason === "timeout" ? "timed out" : "could not reach AWS"} (${err.message})`,
      cause: err,
    });
  }
  const e = (err ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  const code = typeof e.Code === "string" ? e.Code : typeof e.name === "string" ? e.name : "Error";
  if (status === undefined && (code === "TimeoutError" || code === "AbortError")) {
    return new ProviderError({ provider: "aws", kind: "unavailable", message: `AWS ${action}: timed out` });
  }
  const kind = kindOf(code, status);
  // AWS's HTTP statuses do not line up across services (STS answers a bad key 403, EC2 answers
  // throttling 503), so `status` is the one that goes with the kind; the wire status is in cause.
  const normalized = kind === "unauthorized" ? 401 : kind === "forbidden" ? 403 : kind === "rate_limited" ? 429 : status;
  const hint = HINTS[code];
  const detail = scrub(typeof e.message === "string" ? e.message : undefined);
  const text = hint ? (detail && kind !== "forbidden" ? `${hint} (${detail})` : hint) : detail || "request failed";
  return new ProviderError({
    provider: "aws",
    kind,
    status: normalized,
    message: `AWS ${action}: ${text} [${code}]`,
    // EC2 sends no Retry-After; its token buckets refill every second (docs: "Request throttling
    // for the Amazon EC2 API"), so a short pause is the right first step, not a minute.
    retryAfter: retryAfterOf(e) ?? (kind === "rate_limited" ? THROTTLE_RETRY_AFTER_S : undefined),
    // Not the SDK error itself: its raw message may echo request values. Enough to trace it with AWS.
    cause: { awsCode: code, httpStatus: status, requestId: e.$metadata?.requestId },
  });
}

/** The AWS error code of something a call threw (after the SDK parsed it), or undefined. */
export function awsCode(err: unknown): string | undefined {
  if (err instanceof ProviderError || err instanceof AwsTransportError) return undefined;
  const e = err as SdkError | undefined;
  if (!e || e.$metadata === undefined) return undefined;
  return typeof e.name === "string" ? e.name : undefined;
}
