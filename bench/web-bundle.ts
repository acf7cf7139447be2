// The initial web bundle: what index.html makes the browser fetch before first render (entry
// script, module preloads, stylesheets), gzipped as a server would send it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export function benchWebBundle(): string[] {
  const dist = join(import.meta.dirname, "..", "apps", "web", "dist");
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const refs = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="(\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
  let raw = 0;
  let gz = gzipSync(html, { level: 9 }).length;
  for (const ref of refs) {
    const body = readFileSync(join(dist, ref));
    raw += body.length;
    gz += gzipSync(body, { level: 9 }).length;
  }
  return [
    `initial web bundle: ${refs.length} files + index.html, ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzipped (target ≤ 200 KB)`,
  ];
}
