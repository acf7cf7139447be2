// Serves the built web app: hashed assets cached for a year, everything else that is not an API
// path answered with index.html so client-side routes work on reload and deep links.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";
import type { AppEnv } from "./env.ts";

export function mountWebApp(app: Hono<AppEnv>, webRoot: string): boolean {
  const indexPath = join(webRoot, "index.html");
  if (!existsSync(indexPath)) {
    // The API still works; the page says what to do instead of a bare 404.
    app.get("*", (c) => c.text("The web app is not built yet. Run `npm run build`, then reload.", 503));
    return false;
  }
  const indexHtml = readFileSync(indexPath, "utf8");
  app.use(
    "/assets/*",
    serveStatic({
      root: webRoot,
      precompressed: true,
      onFound: (_path, c) => {
        c.header("cache-control", "public, max-age=31536000, immutable");
      },
    }),
  );
  app.use("/*", serveStatic({ root: webRoot, precompressed: true }));
  app.get("*", (c) => {
    if (c.req.path.startsWith("/api/")) return c.notFound();
    c.header("cache-control", "no-cache");
    return c.html(indexHtml);
  });
  return true;
}
