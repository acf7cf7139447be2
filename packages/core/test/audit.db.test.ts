// The audit log against the real database (PGlite and the PostgreSQL server): concurrent appends
// never fork the chain; the triggers refuse UPDATE, DELETE and TRUNCATE; an action whose audit row
// cannot be written rolls back; a row tampered with (triggers disabled, as the table's owner or a
// superuser would) is found and named by `verify`, in the service and in the CLI. Key rotation
// (the CLI) leaves its row too.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Database, eq, openDatabase, schema, sql } from "@clawcloud/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.ts";
import type { Actor } from "../src/actor.ts";
import { exportAuditCsv } from "../src/audit/export-csv.ts";
import { listAudit } from "../src/audit/list-audit.ts";
import { recordAudit } from "../src/audit/record-audit.ts";
import { verifyAuditChain } from "../src/audit/verify-chain.ts";
import { deleteCredential } from "../src/credentials/delete-credential.ts";
import { newId } from "../src/ids.ts";

const run = promisify(execFile);
const cli = join(import.meta.dirname, "..", "..", "..", "apps", "server", "src", "cli.ts");

let tdb: TestDatabase;
let database: Database;
const open = async () => {
  database = await openDatabase({ url: tdb.databaseUrl, dataDir: tdb.dataDir, poolSize: 8 });
};
/** The CLI opens the database itself: on PGlite, only one process at a time may. */
async function runCli(...args: string[]): Promise<{ code: number; out: string }> {
  await database.close();
  try {
    const env = { ...process.env, CLAWCLOUD_DATA_DIR: tdb.dataDir, ...(tdb.databaseUrl ? { DATABASE_URL: tdb.databaseUrl } : {}) };
    const r = await run(process.execPath, [cli, ...args], { env }).then(
      (ok) => ({ code: 0, out: ok.stdout + ok.stderr }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, out: err.stdout + err.stderr }),
    );
    return r;
  } finally {
    await open();
  }
}

function actorOf(workspaceId: string, userId: string): Actor {
  const user = { id: userId, name: "A", email: `${userId}@example.com`, emailVerified: true, createdAt: new Date() };
  return { userId, sessionId: "ses_x", workspaceId, role: "owner", isStaff: false, ip: "203.0.113.9", user };
}

const wsA = newId("workspace");
const wsB = newId("workspace");
const alice = actorOf(wsA, newId("user"));
const bob = actorOf(wsB, newId("user"));

beforeAll(async () => {
  tdb = await createTestDatabase();
  await open();
  await database.db.insert(schema.workspaces).values([
    { id: wsA, name: "a", slug: wsA },
    { id: wsB, name: "b", slug: wsB },
  ]);
});
afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

const entry = (actor: Actor, n: number) => ({
  action: "instance.create" as const,
  workspaceId: actor.workspaceId,
  actor: { type: "user" as const, id: actor.userId },
  target: { type: "instance", id: `ins_${n}` },
  metadata: { n, name: `=HYPERLINK("x") ${n}`, apiToken: "CANARY-must-not-be-stored", nested: { password: "CANARY" } },
  ip: actor.ip,
});

describe("the audit log", () => {
  it("chains concurrent appends without forking, and verifies", async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, i) => database.db.transaction((tx) => recordAudit(tx, entry(i % 2 ? bob : alice, i)))),
    );
    const rows = await database.db.select().from(schema.auditLog).orderBy(schema.auditLog.seq);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(24); // no two rows chain onto the same one
    expect(JSON.stringify(rows)).not.toContain("CANARY");
    expect(await verifyAuditChain(database.db)).toEqual({ rows: 24 });
  });

  it("lists only the caller's workspace, filtered and paged, and exports injection-safe CSV", async () => {
    const page1 = await listAudit(database.db, alice, { limit: "5" });
    expect(page1.items).toHaveLength(5);
    expect(page1.items.every((e) => e.actor.id === alice.userId)).toBe(true);
    const page2 = await listAudit(database.db, alice, { limit: "5", cursor: page1.nextCursor });
    const page3 = await listAudit(database.db, alice, { limit: "5", cursor: page2.nextCursor });
    const all = [...page1.items, ...page2.items, ...page3.items];
    expect(all).toHaveLength(12);
    expect(page3.nextCursor).toBeNull();
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => b - a));
    expect((await listAudit(database.db, alice, { action: "credential.delete" })).items).toHaveLength(0);
    expect((await listAudit(database.db, alice, { actor: bob.userId })).items).toHaveLength(0);
    expect((await listAudit(database.db, alice, { from: new Date(Date.now() + 60_000).toISOString() })).items).toHaveLength(0);
    expect((await listAudit(database.db, alice, { to: new Date(Date.now() + 60_000).toISOString() })).items).toHaveLength(12);
    await expect(listAudit(database.db, alice, { cursor: "x" })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    const csv = await exportAuditCsv(database.db, alice, {});
    const lines = csv.trim().split("\r\n");
    expect(lines).toHaveLength(13);
    expect(csv).toContain(`"{""n"":`); // details are JSON inside one quoted cell
    expect(csv).not.toMatch(/(^|,)"[=+\-@]/m); // no cell starts with a formula character
  });

  it("refuses UPDATE, DELETE and TRUNCATE", async () => {
    const db = database.db;
    await expect(db.execute(sql`update audit_log set action = 'x' where seq = 1`)).rejects.toThrow();
    await expect(db.execute(sql`delete from audit_log where seq = 1`)).rejects.toThrow();
    await expect(db.execute(sql`truncate audit_log`)).rejects.toThrow();
    const err = await db.execute(sql`delete from audit_log`).catch((e: Error & { cause?: Error }) => e.cause?.message ?? e.message);
    expect(String(err)).toMatch(/append-only/);
    expect(await verifyAuditChain(db)).toEqual({ rows: 24 });
  });

  it("rolls the action back when its audit row cannot be written", async () => {
    const id = newId("credential");
    await database.db.insert(schema.cloudCredentials).values({
      id,
      workspaceId: wsA,
      provider: "digitalocean",
      label: "ops",
      last4: "abcd",
      fingerprint: "sha256:x",
      keyVersion: 1,
      wrappedKey: "w",
      ciphertext: "c",
    });
    await database.db.execute(
      sql`create function audit_fail() returns trigger language plpgsql as $$ begin raise exception 'audit down'; end; $$`,
    );
    await database.db.execute(sql`create trigger audit_fail before insert on audit_log for each row execute function audit_fail()`);
    try {
      await expect(deleteCredential({ db: database.db }, alice, id)).rejects.toThrow();
    } finally {
      await database.db.execute(sql`drop trigger audit_fail on audit_log`);
    }
    const still = await database.db.select().from(schema.cloudCredentials).where(eq(schema.cloudCredentials.id, id));
    expect(still).toHaveLength(1);
    await deleteCredential({ db: database.db }, alice, id);
    expect(await database.db.select().from(schema.cloudCredentials).where(eq(schema.cloudCredentials.id, id))).toHaveLength(0);
    const [last] = (await listAudit(database.db, alice, { limit: "1" })).items;
    expect(last).toMatchObject({ action: "credential.delete", target: { type: "credential", id }, ip: "203.0.113.9" });
    expect(last?.metadata).toEqual({ provider: "digitalocean", label: "ops" });
  });

  it("`audit verify` passes an intact chain and names the first tampered row", async () => {
    // A master key rotation (the other CLI command) is audited too, as the system.
    expect(await runCli("keys", "rotate")).toMatchObject({ code: 0 });
    const [rotation] = await database.db.select().from(schema.auditLog).where(eq(schema.auditLog.seq, 26));
    expect(rotation).toMatchObject({ action: "vault.rotate", actorType: "system", actorId: "cli", workspaceId: null });
    const intact = await runCli("audit", "verify");
    expect(intact).toMatchObject({ code: 0 });
    expect(intact.out).toMatch(/26 rows, chain intact/);

    // Tamper as the table's owner would: with the triggers disabled.
    await database.db.execute(sql`alter table audit_log disable trigger user`);
    await database.db.execute(sql`update audit_log set metadata = '{"n": 999}' where seq = 7`);
    await database.db.execute(sql`alter table audit_log enable trigger user`);
    const [row7] = await database.db.select().from(schema.auditLog).where(eq(schema.auditLog.seq, 7));
    expect(await verifyAuditChain(database.db)).toEqual({
      rows: 6,
      broken: { seq: 7, id: row7?.id, reason: expect.stringMatching(/hash does not match/) },
    });
    const broken = await runCli("audit", "verify");
    expect(broken.code).toBe(1);
    expect(broken.out).toContain(`BROKEN at row 7 (${row7?.id})`);
  });

  it("detects a deleted row", async () => {
    await database.db.execute(sql`alter table audit_log disable trigger user`);
    await database.db.execute(sql`update audit_log set metadata = '{"n": 6}' where seq = 7`);
    await database.db.execute(sql`delete from audit_log where seq = 3`);
    await database.db.execute(sql`alter table audit_log enable trigger user`);
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({ seq: 4, reason: expect.stringMatching(/row 3 is missing/) });
  });
});
