// Shared by the benchmarks: start the real server process on a data directory and wait for it.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

export { freePort } from "../test-support/free-port.ts";

export const mainScript = join(import.meta.dirname, "..", "apps", "server", "src", "main.ts");

export function spawnServer(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [mainScript], {
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

export async function waitForHealth(url: string, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) return;
    } catch {}
    if (Date.now() > end) throw new Error(`${url} did not become healthy`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

export const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
export const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
