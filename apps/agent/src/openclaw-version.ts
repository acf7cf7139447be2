// The installed OpenClaw version. Fast path: follow the `openclaw` executable to its package and
// read package.json (re-read only when it changes, i.e. after an update). Fallback: run
// `openclaw --version` (≈0.3 s) and cache the answer for a few minutes.
import { execFile } from "node:child_process";
import { readFile, realpath, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const EXEC_CACHE_MS = 5 * 60_000;
const VERSION_RE = /\b(\d{4}\.\d{1,2}\.\d{1,3}(?:-[0-9A-Za-z.-]+)?)\b/;

export interface OpenclawVersionReader {
  read(): Promise<string | null>;
}

export function createOpenclawVersionReader(bin: string | undefined, now: () => number = Date.now): OpenclawVersionReader {
  let pkgCache: { path: string; mtimeMs: number; version: string } | undefined;
  let execCache: { at: number; version: string | null } | undefined;

  const fromPackageJson = async (): Promise<string | null> => {
    if (!bin) return null;
    try {
      let dir = dirname(await realpath(bin));
      for (let i = 0; i < 4; i++, dir = dirname(dir)) {
        const path = join(dir, "package.json");
        const info = await stat(path).catch(() => undefined);
        if (!info) continue;
        if (pkgCache?.path === path && pkgCache.mtimeMs === info.mtimeMs) return pkgCache.version;
        const pkg = JSON.parse(await readFile(path, "utf8")) as { name?: unknown; version?: unknown };
        if (pkg.name !== "openclaw" || typeof pkg.version !== "string") continue;
        pkgCache = { path, mtimeMs: info.mtimeMs, version: pkg.version.slice(0, 64) };
        return pkgCache.version;
      }
    } catch {
      // fall through to the CLI
    }
    return null;
  };

  const fromCli = async (): Promise<string | null> => {
    if (!bin) return null;
    if (execCache && now() - execCache.at < EXEC_CACHE_MS) return execCache.version;
    let version: string | null = null;
    try {
      const { stdout } = await run(bin, ["--version"], { timeout: 15_000, maxBuffer: 64 * 1024 });
      version = VERSION_RE.exec(stdout)?.[1] ?? null;
    } catch {
      version = null;
    }
    execCache = { at: now(), version };
    return version;
  };

  return { read: async () => (await fromPackageJson()) ?? (await fromCli()) };
}
