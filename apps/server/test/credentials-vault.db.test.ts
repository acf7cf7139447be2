// The vault end to end: a secret never reaches the logs or the database in readable form; a row
// that does not decrypt fails closed, alone; rotation re-wraps every row and can run twice.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { eq, openDatabase, schema } from "@clawcloud/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DigitalOceanSimulator,
  DO_TOKENS,
  startDigitalOceanSimulator,
} from "../../../packages/providers/test/simulator/digitalocean.ts";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.ts";
import { dumpDatabase, encodings } from "../../../test-support/dump.ts";
import { startTestApp, type TestApp, type TestClient, uniqueEmail } from "../../../test-support/test-app.ts";

let sim: DigitalOceanSimulator;
let tdb: TestDatabase;
const logs: string[] = [];

beforeAll(async () => {
  sim = await startDigitalOceanSimulator();
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await sim?.stop();
  await tdb?.drop();
});

async function withApp<T>(fn: (t: TestApp) => Promise<T>): Promise<T> {
  const t = await startTestApp({ db: tdb, env: { CLAWCLOUD_DIGITALOCEAN_API_URL: sim.url } });
  try {
    return await fn(t);
  } finally {
    await t.stop();
    logs.push(...t.logs);
  }
}

async function signedIn(t: TestApp, email: string): Promise<TestClient> {
  const c = t.client();
  if ((await c.signIn(email)).status !== 200) await c.signUp(email);
  return c;
}

const add = async (c: TestClient, label: string, secret = DO_TOKENS.valid) => {
  const res = await c.post("/api/v1/credentials", { provider: "digitalocean", label, secret });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
};

function runCli(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, "..", "src", "cli.ts"), ...args], {
    env: { PATH: process.env.PATH ?? "", CLAWCLOUD_DATA_DIR: tdb.dataDir, ...(tdb.databaseUrl ? { DATABASE_URL: tdb.databaseUrl } : {}) },
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    out += d;
  });
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, out })));
}

const email = uniqueEmail("vault");
const otherEmail = uniqueEmail("other");
let first = "";
let second = "";

describe("the credentials vault", () => {
  it("keeps secrets out of every log line and every database row", async () => {
    await withApp(async (t) => {
      const c = await signedIn(t, email);
      first = await add(c, "first");
      // A second workspace holds the same token: its own row, its own data key.
      const other = await signedIn(t, otherEmail);
      second = await add(other, "second");
      await c.get(`/api/v1/credentials/${first}/regions`);
      await c.get(`/api/v1/credentials/${first}/sizes`);
      await c.post(`/api/v1/credentials/${first}/verify`);
      await c.post("/api/v1/credentials", { provider: "digitalocean", label: "bad", secret: DO_TOKENS.revoked });
      await c.post("/api/v1/credentials", { provider: "digitalocean", label: "scoped", secret: DO_TOKENS.limited });
      const listed = await (await c.get("/api/v1/credentials")).text();
      for (const secret of [DO_TOKENS.valid, DO_TOKENS.revoked, DO_TOKENS.limited]) {
        for (const form of encodings(secret)) expect(listed).not.toContain(form);
      }
    });
    const dump = await dumpDatabase(tdb);
    expect(dump).toContain("cloud_credentials"); // the dump did read the table
    const haystack = `${dump}\n${logs.join("\n")}`;
    for (const secret of [DO_TOKENS.valid, DO_TOKENS.revoked, DO_TOKENS.limited]) {
      for (const form of encodings(secret)) expect(haystack, `a form of a secret: ${form.slice(0, 8)}…`).not.toContain(form);
    }
  });

  it("rotates the master key: every row re-wrapped, twice harmlessly, and still usable", async () => {
    const status = await runCli(["keys", "status"]);
    expect(status.code).toBe(0);
    expect(status.out).toContain("master key versions: 1");
    expect(status.out).toContain("key version 1: 2 credentials");
    const rotated = await runCli(["keys", "rotate"]);
    expect(rotated.code, rotated.out).toBe(0);
    expect(rotated.out).toContain("current master key version: 2; re-wrapped 2");
    expect(rotated.out).toMatch(/after:\n\s+key version 2: 2 credentials/);
    const again = await runCli(["keys", "rotate"]);
    expect(again.out).toContain("current master key version: 3; re-wrapped 2");
    await withApp(async (t) => {
      const c = await signedIn(t, email);
      expect((await c.post(`/api/v1/credentials/${first}/verify`)).status).toBe(200);
    });
  });

  it("fails closed on a row that does not decrypt, and only that row", async () => {
    // Copy the other workspace's ciphertext into this row: the AAD binding must refuse it.
    const database = await openDatabase({ url: tdb.databaseUrl, dataDir: tdb.dataDir });
    try {
      const [donor] = await database.db.select().from(schema.cloudCredentials).where(eq(schema.cloudCredentials.id, second));
      if (!donor) throw new Error("no donor row");
      await database.db
        .update(schema.cloudCredentials)
        .set({ ciphertext: donor.ciphertext, wrappedKey: donor.wrappedKey, keyVersion: donor.keyVersion })
        .where(eq(schema.cloudCredentials.id, first));
    } finally {
      await database.close();
    }
    await withApp(async (t) => {
      const c = await signedIn(t, email);
      const res = await c.get(`/api/v1/credentials/${first}/regions`);
      expect(res.status).toBe(409);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("CREDENTIAL_UNAVAILABLE");
      expect(body.error.message).toMatch(/Delete it and add the token again/);
      const listed = (await (await c.get("/api/v1/credentials")).json()) as { items: { id: string; status: string }[] };
      expect(listed.items.find((i) => i.id === first)?.status).toBe("unavailable");
      // The donor row is untouched and keeps working.
      const other = await signedIn(t, otherEmail);
      expect((await other.get(`/api/v1/credentials/${second}/regions`)).status).toBe(200);
    });
    const rotated = await runCli(["keys", "rotate"]);
    expect(rotated.code).toBe(1); // the broken row is reported, not hidden
    expect(rotated.out).toContain(`could not open ${first}`);
    expect(rotated.out).toContain("re-wrapped 1");
  });
});
