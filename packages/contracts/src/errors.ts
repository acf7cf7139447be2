// The one error vocabulary. Every failure the API reports uses one of these codes, in the body
// { "error": { "code", "message", "requestId" } }; the HTTP status for each lives here too, so
// the mapping is in one place.
export const errorStatus = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  WEAK_PASSWORD: 400,
  INVALID_TOKEN: 400,
  INVALID_PASSWORD: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
  EMAIL_NOT_VERIFIED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  CREDENTIAL_UNAVAILABLE: 409,
  SUPPORT_UNAVAILABLE: 409,
  CREDENTIAL_INVALID: 422,
  CREDENTIAL_INSUFFICIENT: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  AGENT_OFFLINE: 409,
  AGENT_TIMEOUT: 504,
  SEALED_BOX_INVALID: 400,
  INTERNAL: 500,
  PROVIDER_UNAVAILABLE: 502,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string };
}
