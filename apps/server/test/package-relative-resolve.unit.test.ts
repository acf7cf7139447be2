// The start-up resolve hook (boot/package-relative-resolve.ts) must decide exactly what Node's own
// resolver decides: checked on every import of the real server, and on the cases where it must
// step aside (a nested package.json, a CommonJS package, another package, a missing file).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { resolveWithinPackage } from "../src/boot/package-relative-resolve.ts";

const hookModule = join(import.meta.dirname, "..", "src", "boot", "package-relative-resolve.ts");
const serverModule = join(import.meta.dirname, "..", "src", "server.ts");

/** Imports the server in a fresh process and lists every resolution: specifier, parent, URL, format. */
function resolutions(withHook: boolean): { seen: string[]; handled: number } {
  const script = `
    import { registerHooks } from "node:module";
    const hook = await import(${JSON.stringify(pathToFileURL(hookModule).href)});
    if (${withHook}) hook.registerPackageRelativeResolve();
    const seen = new Set();
    let handled = 0;
    registerHooks({
      resolve(specifier, context, next) {
        if (hook.resolveWithinPackage(specifier, context.parentURL)) handled++;
        const r = next(specifier, context);
        seen.add(JSON.stringify([specifier, context.parentURL, r.url, r.format ?? null]));
        return r;
      },
    });
    await import(${JSON.stringify(pathToFileURL(serverModule).href)});
    process.stdout.write(JSON.stringify({ seen: [...seen].sort(), handled }));
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`the import failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { seen: string[]; handled: number };
}

describe("the package-relative resolve hook", () => {
  test("resolves every import of the server to the URL and format Node's resolver gives", { timeout: 60_000 }, () => {
    const node = resolutions(false);
    const hooked = resolutions(true);
    // Not vacuous: most of drizzle-orm's, better-auth's, hono's and zod's files go through the hook.
    expect(hooked.handled).toBeGreaterThan(500);
    expect(hooked.seen.length).toBeGreaterThan(1000);
    expect(hooked.seen).toEqual(node.seen);
  });

  const root = mkdtempSync(join(tmpdir(), "cc-resolve-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const file = (path: string, text: string) => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const url = (path: string) => pathToFileURL(join(root, path)).href;
  file("node_modules/esm-pkg/package.json", JSON.stringify({ name: "esm-pkg", type: "module" }));
  file("node_modules/esm-pkg/a.js", "");
  file("node_modules/esm-pkg/sub/b.js", "");
  file("node_modules/esm-pkg/cjs/package.json", JSON.stringify({ type: "commonjs" }));
  file("node_modules/esm-pkg/cjs/c.js", "");
  file("node_modules/@scope/esm/package.json", JSON.stringify({ type: "module" }));
  file("node_modules/@scope/esm/lib/d.js", "");
  file("node_modules/cjs-pkg/package.json", JSON.stringify({ name: "cjs-pkg" }));
  file("node_modules/cjs-pkg/x.js", "");
  file("node_modules/cjs-pkg/y.js", "");
  file("src/app.js", "");
  file("src/other.js", "");
  symlinkSync(join(root, "node_modules/esm-pkg/sub/b.js"), join(root, "node_modules/esm-pkg/link.js"));

  test("resolves a relative .js import within an ES-module package to its real file", () => {
    const from = url("node_modules/esm-pkg/a.js");
    expect(resolveWithinPackage("./sub/b.js", from)).toBe(url("node_modules/esm-pkg/sub/b.js"));
    expect(resolveWithinPackage("../a.js", url("node_modules/esm-pkg/sub/b.js"))).toBe(from);
    expect(resolveWithinPackage("./lib/d.js", url("node_modules/@scope/esm/x.js"))).toBe(url("node_modules/@scope/esm/lib/d.js"));
    expect(resolveWithinPackage("./link.js", from)).toBe(url("node_modules/esm-pkg/sub/b.js"));
  });

  test("leaves to Node what it cannot decide the same way", () => {
    const from = url("node_modules/esm-pkg/a.js");
    expect(resolveWithinPackage("./cjs/c.js", from)).toBeUndefined(); // a nested package.json sets its own type
    expect(resolveWithinPackage("./y.js", url("node_modules/cjs-pkg/x.js"))).toBeUndefined(); // CommonJS package
    expect(resolveWithinPackage("../cjs-pkg/x.js", from)).toBeUndefined(); // another package
    expect(resolveWithinPackage("./missing.js", from)).toBeUndefined(); // Node reports it
    expect(resolveWithinPackage("esm-pkg/a.js", from)).toBeUndefined(); // bare specifier
    expect(resolveWithinPackage("./package.json", from)).toBeUndefined(); // not .js
    expect(resolveWithinPackage("./other.js", url("src/app.js"))).toBeUndefined(); // not an installed package
    expect(resolveWithinPackage("./a.js", undefined)).toBeUndefined();
    expect(resolveWithinPackage("./a.js", "data:text/javascript,")).toBeUndefined();
  });
});
