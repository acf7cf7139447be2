// Strict headers on every response: the app runs with no inline script, cannot be framed, and
// tells browsers to stay on HTTPS once served over it.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

const csp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * `https`: the public URL is https (TLS ends in front of us). `trustProxy`: our own proxy's
 * X-Forwarded-Proto may say a request came over TLS; from anyone else it is ignored.
 */
export function securityHeaders(opts: { https: boolean; trustProxy: boolean }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set("content-security-policy", csp);
    h.set("x-content-type-options", "nosniff");
    h.set("x-frame-options", "DENY");
    h.set("referrer-policy", "strict-origin-when-cross-origin");
    h.set("cross-origin-opener-policy", "same-origin");
    h.set("cross-origin-resource-policy", "same-origin");
    h.set("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()");
    const overTls = opts.https || (opts.trustProxy && c.req.header("x-forwarded-proto")?.split(",")[0]?.trim() === "https");
    if (overTls) h.set("strict-transport-security", "max-age=31536000; includeSubDomains");
    if (c.req.path.startsWith("/api/")) h.set("cache-control", "no-store");
  };
}
