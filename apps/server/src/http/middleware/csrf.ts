// State-changing requests from a browser must come from our own origin. Browsers send Origin
// (or Sec-Fetch-Site) on every such request; a request with neither is not from a browser, and so
// cannot ride a victim's cookie. JSON-only bodies (json-body.ts) also rule out plain HTML forms.

import { AppError } from "@clawcloud/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function csrfGuard(publicOrigin: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!SAFE.has(c.req.method)) {
      const origin = c.req.header("origin");
      const site = c.req.header("sec-fetch-site");
      const foreignOrigin = origin !== undefined && origin !== publicOrigin;
      const foreignSite = site !== undefined && site !== "same-origin" && site !== "none";
      if (foreignOrigin || foreignSite) {
        throw new AppError("CSRF_REJECTED", "This request came from another site and was refused.");
      }
    }
    await next();
  };
}
