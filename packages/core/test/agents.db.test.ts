// Agent registration and heartbeats against the real database: the one-time token is single-use,
// expires, belongs to one instance; a credential that is unknown or revoked is refused.

import { type Database, eq, openDatabase, schema } from "@clawcloud/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.ts";
import { recordHeartbeat } from "../src/agents/record-heartbeat.ts";
import { authenticateAgent, registerAgent } from "../src/agents/register-agent.ts";
import { hashToken, newSecretToken } from "../src/agents/registration-token.ts";
import { newId } from "../src/ids.ts";
import { type Queue, startQueue } from "../src/queue/queue.ts";

const lines: string[] = [];
const log = {
  info() {},
  debug() {},
  error() {},
  warn: (o: object, m?: string) => lines.push(`${m} ${JSON.stringify(o)}`),
  child: () => log,
};

let tdb: TestDatabase;
let database: Database;
let queue: Queue;
const deps = () => ({ db: database.db, queue, log });
let workspaceId: string;
const publicKey = Buffer.alloc(32, 9).toString("base64");

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase({ url: tdb.databaseUrl, dataDir: tdb.dataDir });
  queue = await startQueue({ connection: database.connection, log, worker: false });
  workspaceId = newId("workspace");
  await database.db.insert(schema.workspaces).values({ id: workspaceId, name: "w", slug: workspaceId });
});
afterAll(async () => {
  await queue?.stop();
  await database?.close();
  await tdb?.drop();
});

async function instanceAwaitingAgent(expiresInMs = 60_000) {
  const id = newId("instance");
  const token = newSecretToken();
  await database.db.insert(schema.instances).values({
    id,
    workspaceId,
    name: "test",
    provider: "digitalocean",
    state: "booting",
    step: "awaiting_agent",
    registrationTokenHash: hashToken(token),
    registrationExpiresAt: new Date(Date.now() + expiresInMs),
  });
  return { id, token };
}

const heartbeat = (ready: boolean) => ({
  type: "heartbeat",
  seq: 1,
  agentVersion: "0.1.0",
  openclawVersion: "2026.9.6",
  gateway: { healthy: ready, ready, startupVersion: "2026.9.6" },
  cpu: { load1: 0.2, cores: 2 },
  memory: { totalMb: 4096, availableMb: 2048 },
  disk: { totalMb: 50_000, freeMb: 40_000 },
  uptimeSec: 120,
});

describe("agent registration", () => {
  it("exchanges a valid token for a credential, once", async () => {
    const { id, token } = await instanceAwaitingAgent();
    const res = await registerAgent(deps(), { instanceId: id, token, publicKey, agentVersion: "0.1.0" });
    expect(res.heartbeatIntervalSec).toBe(15);
    expect(await authenticateAgent(database.db, res.credential)).toBe(id);
    const [row] = await database.db.select().from(schema.instances).where(eq(schema.instances.id, id));
    expect(row?.agentPublicKey).toBe(publicKey);
    expect(row?.state).toBe("bootstrapping");
    expect(row?.registrationTokenHash).toBeNull();
    // Replay of the same token is refused, and logged without the token.
    await expect(registerAgent(deps(), { instanceId: id, token, publicKey, agentVersion: "0.1.0" })).rejects.toThrow(
      /invalid, expired or already used/,
    );
    expect(lines.some((l) => l.includes("token already used"))).toBe(true);
    expect(lines.join("\n")).not.toContain(token);
  });

  it("refuses an expired token, a token for another instance and a wrong token", async () => {
    const expired = await instanceAwaitingAgent(-1000);
    await expect(
      registerAgent(deps(), { instanceId: expired.id, token: expired.token, publicKey, agentVersion: "0.1.0" }),
    ).rejects.toThrow();
    const a = await instanceAwaitingAgent();
    const b = await instanceAwaitingAgent();
    await expect(registerAgent(deps(), { instanceId: b.id, token: a.token, publicKey, agentVersion: "0.1.0" })).rejects.toThrow();
    await expect(registerAgent(deps(), { instanceId: a.id, token: newSecretToken(), publicKey, agentVersion: "0.1.0" })).rejects.toThrow();
    // The rightful agent still registers afterwards.
    await expect(registerAgent(deps(), { instanceId: a.id, token: a.token, publicKey, agentVersion: "0.1.0" })).resolves.toBeTruthy();
  });

  it("lets only one of two concurrent registrations win", async () => {
    const { id, token } = await instanceAwaitingAgent();
    const results = await Promise.allSettled(
      [1, 2].map(() => registerAgent(deps(), { instanceId: id, token, publicKey, agentVersion: "0.1.0" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("refuses unknown and revoked credentials", async () => {
    expect(await authenticateAgent(database.db, newSecretToken())).toBeUndefined();
    const { id, token } = await instanceAwaitingAgent();
    const { credential } = await registerAgent(deps(), { instanceId: id, token, publicKey, agentVersion: "0.1.0" });
    await database.db.update(schema.agentCredentials).set({ revokedAt: new Date() }).where(eq(schema.agentCredentials.instanceId, id));
    expect(await authenticateAgent(database.db, credential)).toBeUndefined();
  });
});

describe("heartbeats", () => {
  it("make the instance ready at the first healthy one, with a timeline event", async () => {
    const { id } = await instanceAwaitingAgent();
    expect(await recordHeartbeat(database.db, id, heartbeat(false))).toEqual({ becameReady: false });
    expect(await recordHeartbeat(database.db, id, heartbeat(true))).toEqual({ becameReady: true });
    expect(await recordHeartbeat(database.db, id, heartbeat(true))).toEqual({ becameReady: false });
    const [row] = await database.db.select().from(schema.instances).where(eq(schema.instances.id, id));
    expect(row).toMatchObject({ state: "ready", runningOpenclawVersion: "2026.9.6", agentVersion: "0.1.0" });
    const events = await database.db.select().from(schema.instanceEvents).where(eq(schema.instanceEvents.instanceId, id));
    expect(events.filter((e) => e.step === "ready")).toHaveLength(1);
  });

  it("refuse a malformed or forged frame", async () => {
    const { id } = await instanceAwaitingAgent();
    await expect(recordHeartbeat(database.db, id, { ...heartbeat(true), chat: "hello" })).rejects.toThrow(/unknown field/);
    await expect(recordHeartbeat(database.db, id, { ...heartbeat(true), gateway: { ready: "yes" } })).rejects.toThrow();
  });
});
