// Shared by the benchmarks: start the real server process on a data directory and wait for it.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { SERVER_NODE_FLAGS } from "../apps/server/src/node-flags.ts";

export { freePort } from "../test-support/free-port.ts";

export const mainScript = join(import.meta.dirname, "..", "apps", "server", "src", "main.ts");

export function spawnServer(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...SERVER_NODE_FLAGS, mainScript], {
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

let signUps = 0;

/** Signs a new user up; returns the cookies a browser would send back and the user's e-mail. */
export async function signUp(url: string): Promise<{ cookie: string; email: string }> {
  const email = `bench-${Date.now()}-${signUps++}@example.com`;
  const res = await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ name: "Bench", email, password: "benchmark password" }),
  });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status}`);
  // Both cookies a browser would send back: the session token and its signed cache.
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
  if (!cookies.some((c) => c.startsWith("better-auth.session_token="))) throw new Error("no session cookie");
  return { cookie: cookies.join("; "), email };
}
