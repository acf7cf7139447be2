// Jobs are enqueued in the same transaction as the rows they concern: commit → the job runs;
// roll back → no job, on PGlite and on the PostgreSQL server alike.

import { type Database, eq, openDatabase, schema } from "@clawcloud/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.ts";
import type { MailMessage } from "../src/mail/mailer.ts";
import { type Queue, startQueue } from "../src/queue/queue.ts";

const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent };

let tdb: TestDatabase;
let database: Database;
let queue: Queue;
const delivered: MailMessage[] = [];
/** Subjects whose next delivery attempt fails, as an SMTP outage would. */
const failOnce = new Set<string>();
let attempts = 0;

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase({ url: tdb.databaseUrl, dataDir: tdb.dataDir });
  queue = await startQueue({ connection: database.connection, log: silent, worker: true });
  await queue.work("email.send", async (job) => {
    attempts++;
    if (failOnce.delete(job.data.subject)) throw new Error("SMTP down");
    delivered.push(job.data);
  });
});
afterAll(async () => {
  await queue?.stop();
  await database?.close();
  await tdb?.drop();
});

async function waitFor(pred: () => boolean, ms = 15_000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("transactional enqueue", () => {
  it("runs a job whose transaction committed", async () => {
    const id = `wks_commit${Date.now()}`;
    await database.db.transaction(async (tx) => {
      await tx.insert(schema.workspaces).values({ id, name: "committed", slug: id });
      await queue.enqueue(tx, "email.send", { to: "commit@example.com", subject: id, text: "t" });
    });
    await waitFor(() => delivered.some((m) => m.subject === id));
  });

  it("drops a job whose transaction rolled back, with its rows", async () => {
    const id = `wks_rollback${Date.now()}`;
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(schema.workspaces).values({ id, name: "rolled back", slug: id });
        await queue.enqueue(tx, "email.send", { to: "rollback@example.com", subject: id, text: "t" });
        throw new Error("the action failed");
      }),
    ).rejects.toThrow("the action failed");
    // A later committed job is delivered; the rolled-back one never is.
    const marker = `marker${Date.now()}`;
    await database.db.transaction(async (tx) => {
      await queue.enqueue(tx, "email.send", { to: "m@example.com", subject: marker, text: "t" });
    });
    await waitFor(() => delivered.some((m) => m.subject === marker));
    expect(delivered.some((m) => m.subject === id)).toBe(false);
    expect(await database.db.select().from(schema.workspaces).where(eq(schema.workspaces.id, id))).toEqual([]);
  });

  it("retries a job whose handler failed", async () => {
    const subject = `flaky${Date.now()}`;
    failOnce.add(subject);
    const before = attempts;
    await queue.enqueue(database.db, "email.send", { to: "f@example.com", subject, text: "t" });
    await waitFor(() => delivered.some((m) => m.subject === subject), 30_000);
    expect(attempts - before).toBe(2);
  });
});
