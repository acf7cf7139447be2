// A first boot that fails on the server fails the instance at once, with a reason a person can act
// on: the agent's forwarded "bootstrap failed", the script's own report before the agent runs
// (authenticated by the registration token, which stays unspent), and an agent that calls back
// with its token after it expired.
import { type Database, eq, openDatabase, schema, sql } from "@clawcloud/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.ts";
import { reportBootstrapEvent } from "../src/agents/bootstrap-event.ts";
import { recordAgentEvent } from "../src/agents/record-event.ts";
import { registerAgent, TOKEN_EXPIRED } from "../src/agents/register-agent.ts";
import { hashToken, newSecretToken } from "../src/agents/registration-token.ts";
import { newId } from "../src/ids.ts";
import { type Queue, startQueue } from "../src/queue/queue.ts";
import { silent } from "./support/provisioning-harness.ts";

let tdb: TestDatabase;
let database: Database;
let queue: Queue;
let workspaceId: string;
const deps = () => ({ db: database.db, queue, log: silent });
const publicKey = Buffer.alloc(32, 7).toString("base64");

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase({ url: tdb.databaseUrl, dataDir: tdb.dataDir });
  queue = await startQueue({ connection: database.connection, log: silent, worker: false });
  workspaceId = newId("workspace");
  await database.db.insert(schema.workspaces).values({ id: workspaceId, name: "w", slug: workspaceId });
});
afterAll(async () => {
  await queue?.stop();
  await database?.close();
  await tdb?.drop();
});

async function instance(o: { state?: string; expiresInMs?: number } = {}) {
  const id = newId("instance");
  const token = newSecretToken();
  await database.db.insert(schema.instances).values({
    id,
    workspaceId,
    name: "test",
    provider: "digitalocean",
    state: o.state ?? "booting",
    step: "awaiting_agent",
    serverId: "123",
    registrationTokenHash: hashToken(token),
    registrationExpiresAt: new Date(Date.now() + (o.expiresInMs ?? 60_000)),
  });
  return { id, token };
}

async function row(id: string) {
  const [r] = await database.db.select().from(schema.instances).where(eq(schema.instances.id, id));
  return r;
}

const deleteJobs = async (id: string) => {
  const jobs = await database.db.execute<{ data: { instanceId: string } }>(sql`select data from pgboss.job where name = 'instance.delete'`);
  return jobs.rows.filter((j) => j.data.instanceId === id).length;
};

describe("a failed first boot", () => {
  it("reported by the agent fails the instance with the script's reason, and its server is deleted", async () => {
    const { id } = await instance({ state: "bootstrapping" });
    await recordAgentEvent(deps(), id, {
      type: "event",
      name: "openclaw-install",
      status: "failed",
      message: "npm install failed (exit 1)",
    });
    expect((await row(id))?.state).toBe("bootstrapping");
    await recordAgentEvent(deps(), id, {
      type: "event",
      name: "bootstrap",
      status: "failed",
      message: "openclaw-install: npm install failed (exit 1)",
    });
    const failed = await row(id);
    expect(failed?.state).toBe("failed");
    expect(failed?.stateMessage).toMatch(
      /^The setup on the server failed \(openclaw-install: npm install failed \(exit 1\)\)\. Fix the cause/,
    );
    expect(await deleteJobs(id)).toBe(1);
  });

  it("reported by the script before the agent runs needs the right token, and leaves it unspent", async () => {
    const { id, token } = await instance();
    const event = { instanceId: id, name: "bootstrap", status: "failed", message: "node: Node.js tarball checksum mismatch" };
    await expect(reportBootstrapEvent(deps(), { ...event, token: newSecretToken() })).rejects.toThrow(/refused/);
    expect((await row(id))?.state).toBe("booting");
    await reportBootstrapEvent(deps(), { ...event, token });
    const failed = await row(id);
    expect(failed?.state).toBe("failed");
    expect(failed?.stateMessage).toContain("node: Node.js tarball checksum mismatch");
    expect(failed?.registrationTokenHash).toBe(hashToken(token));
    const events = await database.db.select().from(schema.instanceEvents).where(eq(schema.instanceEvents.instanceId, id));
    expect(events.map((e) => e.step)).toEqual(expect.arrayContaining(["agent:bootstrap", "failed"]));
  });

  it("is not reported with a token already spent by the agent", async () => {
    const { id, token } = await instance();
    await registerAgent(deps(), { instanceId: id, token, publicKey, agentVersion: "0.1.0" });
    await expect(reportBootstrapEvent(deps(), { instanceId: id, token, name: "bootstrap", status: "failed" })).rejects.toThrow(/refused/);
    expect((await row(id))?.state).toBe("bootstrapping");
  });

  it("an agent calling back with its expired token fails the instance and says why; a wrong token does not", async () => {
    const { id, token } = await instance({ expiresInMs: -1000 });
    const register = (t: string) => registerAgent(deps(), { instanceId: id, token: t, publicKey, agentVersion: "0.1.0" });
    await expect(register(newSecretToken())).rejects.toThrow(/invalid, expired or already used/);
    expect((await row(id))?.state).toBe("booting");
    await expect(register(token)).rejects.toThrow(/invalid, expired or already used/);
    const failed = await row(id);
    expect(failed?.state).toBe("failed");
    expect(failed?.stateMessage).toBe(TOKEN_EXPIRED);
  });

  it("does not touch an instance that is already ready", async () => {
    const { id } = await instance({ state: "ready" });
    await recordAgentEvent(deps(), id, { type: "event", name: "bootstrap", status: "failed", message: "late" });
    expect((await row(id))?.state).toBe("ready");
  });
});
