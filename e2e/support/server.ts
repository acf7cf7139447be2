// Starts the real server as a separate process — the same `node <flags> apps/server/src/main.ts` that
// `npm start` runs, on the embedded defaults (a fresh PGlite directory) — on a free port.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SERVER_NODE_FLAGS } from "../../apps/server/src/node-flags.ts";
import { freePort } from "../../test-support/free-port.ts";

const main = join(import.meta.dirname, "..", "..", "apps", "server", "src", "main.ts");

export interface E2eServer {
  url: string;
  dataDir: string;
  /** Every line the server logged so far. */
  logs(): string[];
  /** Stops the server and removes its data directory (unless `keepData`: then call `remove`). */
  stop(opts?: { keepData?: boolean }): Promise<void>;
  remove(): void;
}

export async function startServer(env: Record<string, string> = {}): Promise<E2eServer> {
  // A restart of the same server keeps its data directory (its generated secrets) by passing it back.
  const dataDir = env.CLAWCLOUD_DATA_DIR ?? mkdtempSync(join(tmpdir(), "cc-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, main], {
    env: {
      PATH: process.env.PATH ?? "",
      PORT: String(port),
      CLAWCLOUD_DATA_DIR: dataDir,
      CLAWCLOUD_PUBLIC_URL: url,
      LOG_FORMAT: "json",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let partial = "";
  const collect = (d: Buffer) => {
    const parts = (partial + d.toString()).split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts.filter(Boolean));
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

  const deadline = Date.now() + 90_000;
  while (!lines.some((l) => l.includes('"msg":"listening"'))) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${lines.join("\n")}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server did not start within 90 s:\n${lines.join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dataDir,
    logs: () => [...lines],
    async stop(opts = {}) {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
    remove() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
