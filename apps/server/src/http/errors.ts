// The one place where failures become HTTP responses. Anything that is not an AppError is a bug:
// it is logged with its stack and answered with a generic 500 that reveals nothing.
import { type ErrorBody, type ErrorCode, errorStatus } from "@clawcloud/contracts";
import { AppError } from "@clawcloud/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env.ts";

export function errorBody(code: ErrorCode, message: string, requestId: string): ErrorBody {
  return { error: { code, message, requestId } };
}

export function errorResponse(c: Context<AppEnv>, code: ErrorCode, message: string, headers?: Record<string, string>): Response {
  const res = c.json(errorBody(code, message, c.get("requestId") ?? "unknown"), errorStatus[code]);
  for (const [k, v] of Object.entries(headers ?? {})) res.headers.set(k, v);
  return res;
}

export function onError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof AppError) return errorResponse(c, err.code, err.message, err.headers);
  if (err instanceof HTTPException) {
    // Hono's own refusals (validators, body limits) keep their status with our body.
    if (err.status === 400) return errorResponse(c, "MALFORMED_JSON", "The request body is not valid JSON.");
    const code = codeForStatus(err.status);
    return errorResponse(c, code, err.message || code);
  }
  c.get("log")?.error({ err }, "unhandled error");
  return errorResponse(c, "INTERNAL", "Something went wrong on our side. It has been logged; please try again.");
}

export function codeForStatus(status: number): ErrorCode {
  const byStatus: Record<number, ErrorCode> = {
    400: "VALIDATION_FAILED",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_FAILED",
    429: "RATE_LIMITED",
    503: "UNAVAILABLE",
  };
  return byStatus[status] ?? (status >= 500 ? "INTERNAL" : "VALIDATION_FAILED");
}
