// The server as a process: a second one on the same PGlite directory stops with a clear message,
// and the api and worker roles can run in separate processes on a PostgreSQL server.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "../../../test-support/database.ts";
import { startTestApp, uniqueEmail, waitForLog } from "../../../test-support/test-app.ts";
import { SERVER_NODE_FLAGS } from "../src/node-flags.ts";

const main = join(import.meta.dirname, "..", "src", "main.ts");

function runMain(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, main, ...args], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function until(pred: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

describe.runIf(testDatabaseKind === "pglite")("one process per PGlite data directory", () => {
  it("a second process fails at once with a clear message, and the first keeps serving", async () => {
    const first = runMain({ CLAWCLOUD_DATA_DIR: db.dataDir });
    await until(() => first.output().includes('"msg":"listening"'), 60_000);
    const second = runMain({ CLAWCLOUD_DATA_DIR: db.dataDir });
    expect(await second.exited).toBe(3);
    expect(second.output()).toContain(`The data directory ${db.dataDir} is in use by another Claw Cloud process (pid ${first.child.pid})`);
    const url = JSON.parse(
      first
        .output()
        .split("\n")
        .find((l) => l.includes('"msg":"listening"')) ?? "{}",
    ).url as string;
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    // A clean stop releases the lock: the directory opens again.
    const third = runMain({ CLAWCLOUD_DATA_DIR: db.dataDir });
    await until(() => third.output().includes('"msg":"listening"'), 60_000);
    third.child.kill("SIGTERM");
    expect(await third.exited).toBe(0);
  });
});

describe.runIf(testDatabaseKind === "postgres")("split roles on a PostgreSQL server", () => {
  it("the api process enqueues, a separate worker process delivers", async () => {
    const api = await startTestApp({ role: "api", db });
    const worker = await startTestApp({ role: "worker", db });
    try {
      expect(api.server.url).toBeTruthy();
      expect(worker.server.url).toBeUndefined();
      const email = uniqueEmail("split");
      expect((await api.client().signUp(email)).status).toBe(200);
      await waitForLog(worker.logs, new RegExp(`E-MAIL.*${email.replace(/[.+]/g, "\\$&")}`));
      expect(api.logs.some((l) => l.includes("E-MAIL") && l.includes(email))).toBe(false);
    } finally {
      await api.stop();
      await worker.stop();
    }
  });
});

describe("configuration errors", () => {
  it("stop the process with the variable's name", async () => {
    const bad = runMain({ CLAWCLOUD_DATA_DIR: db.dataDir, PORT: "seventy" });
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/Invalid configuration: PORT: /);
    const role = runMain({ CLAWCLOUD_DATA_DIR: db.dataDir }, ["--role", "boss"]);
    expect(await role.exited).toBe(2);
    expect(role.output()).toContain('Invalid --role "boss": use all, api or worker.');
  });
});
