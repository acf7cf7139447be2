// Gives every request an id (returned in x-request-id and in every error body) and a child
// logger carrying it, then logs one line per request when it completes.
import { randomBytes } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AppLogger } from "../../logger.ts";
import type { AppEnv } from "../env.ts";

const newRequestId = () => `req_${randomBytes(12).toString("base64url")}`;

/** Paths can carry one-time tokens (password reset links); they are cut from the log line. */
export function loggablePath(path: string): string {
  return path.replace(/(\/reset-password\/)[^/?]+/, "$1[redacted]");
}

export function requestContext(log: AppLogger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const requestId = newRequestId();
    const reqLog = log.child({ reqId: requestId });
    c.set("requestId", requestId);
    c.set("log", reqLog);
    const started = performance.now();
    await next();
    c.header("x-request-id", requestId);
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const line = { method: c.req.method, path: loggablePath(c.req.path), status: c.res.status, ms };
    if (c.res.status >= 500) reqLog.error(line, "request failed");
    else reqLog.info(line, "request");
  };
}
