// The provisioning state machine against the DigitalOcean simulator and the real database:
// happy path, lost create responses, duplicate delivery, fast failures, Retry-After, the
// registration deadline, the delete finalizer, the orphan sweeper, and a fault storm.
import { randomBytes } from "node:crypto";
import { type Database, eq, openDatabase, schema } from "@clawcloud/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.ts";
import { type DigitalOceanSimulator, DO_TOKENS, startDigitalOceanSimulator } from "../../providers/test/simulator/digitalocean.ts";
import { recordHeartbeat } from "../src/agents/record-heartbeat.ts";
import { registerAgent } from "../src/agents/register-agent.ts";
import { driverFactory } from "../src/credentials/drivers.ts";
import { newId } from "../src/ids.ts";
import { finalizeDelete } from "../src/instances/delete-instance.ts";
import { advanceProvisioning, type ProvisionDeps } from "../src/instances/provision.ts";
import { sweepOrphans } from "../src/instances/sweep-orphans.ts";
import { type Queue, startQueue } from "../src/queue/queue.ts";
import { credentialAad, encryptSecret } from "../src/vault/envelope.ts";
import { LocalKeyProvider } from "../src/vault/local-key-provider.ts";

const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent };

let sim: DigitalOceanSimulator;
let tdb: TestDatabase;
let database: Database;
let queue: Queue;
let deps: ProvisionDeps;
let workspaceId: string;

async function addCredential(token: string, deleteAfterProvisioning = false): Promise<string> {
  const id = newId("credential");
  const env = await encryptSecret(deps.keys, JSON.stringify(token), credentialAad(workspaceId, id));
  await database.db.insert(schema.cloudCredentials).values({
    id,
    workspaceId,
    provider: "digitalocean",
    label: "sim",
    last4: token.slice(-4),
    fingerprint: `sha256:${randomBytes(8).toString("hex")}`,
    keyVersion: env.keyVersion,
    wrappedKey: env.wrappedKey,
    ciphertext: env.ciphertext,
    deleteAfterProvisioning,
  });
  return id;
}

let credentialId: string;

async function newInstance(cred = credentialId, extra: Partial<typeof schema.instances.$inferInsert> = {}): Promise<string> {
  const id = newId("instance");
  await database.db.insert(schema.instances).values({
    id,
    workspaceId,
    name: "t",
    provider: "digitalocean",
    credentialId: cred,
    region: "nyc3",
    size: "s-2vcpu-4gb",
    openclawVersion: "2026.9.6",
    ...extra,
  });
  return id;
}

const row = async (id: string) => (await database.db.select().from(schema.instances).where(eq(schema.instances.id, id)))[0];
const dropletsOf = (id: string) => [...sim.droplets.values()].filter((d) => d.tags.includes(`clawcloud-instance:${id}`));

/** Runs the state machine as a worker would, skipping the waits, until it settles or waits on the agent. */
async function drive(id: string, worker = "w1", maxSteps = 60): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    const r = await row(id);
    if (!r || r.step === "awaiting_agent" || r.state === "failed") return;
    const outcome = await advanceProvisioning(deps, id, worker);
    if ("done" in outcome) return;
    // Another worker holds the lease: give it a moment (the real queue would wait 15 s).
    if (r.leaseOwner && r.leaseOwner !== worker) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`instance ${id} did not settle in ${maxSteps} steps`);
}

/** What the agent on the server does: register with the token from the user-data, then heartbeat. */
async function agentCallsBack(id: string): Promise<void> {
  const [droplet] = dropletsOf(id);
  const token = /token=(\S+)/.exec(droplet?.userData ?? "")?.[1];
  if (!token) throw new Error("no token in the user-data");
  await registerAgent(
    { db: database.db, log: silent },
    { instanceId: id, token, publicKey: Buffer.alloc(32, 1).toString("base64"), agentVersion: "0.1.0" },
  );
  await recordHeartbeat(database.db, id, {
    type: "heartbeat",
    seq: 0,
    agentVersion: "0.1.0",
    openclawVersion: "2026.9.6",
    gateway: { healthy: true, ready: true, startupVersion: "2026.9.6" },
    cpu: { load1: 0.1, cores: 2 },
    memory: { totalMb: 4096, availableMb: 3000 },
    disk: { totalMb: 80_000, freeMb: 70_000 },
    uptimeSec: 60,
  });
}

beforeAll(async () => {
  sim = await startDigitalOceanSimulator({ rateLimits: false, pollsToActive: 2 });
  tdb = await createTestDatabase();
  database = await openDatabase({ url: tdb.databaseUrl, dataDir: tdb.dataDir });
  queue = await startQueue({ connection: database.connection, log: silent, worker: false });
  deps = {
    db: database.db,
    keys: LocalKeyProvider.fromEnv(`1:${randomBytes(32).toString("base64")}`),
    drivers: driverFactory({ digitalocean: sim.url }),
    externalIdKey: "test-key",
    queue,
    log: silent,
    backoffBaseSec: 0,
    registrationKey: randomBytes(32).toString("base64url"),
    renderUserData: (i) => `#cloud-config\n# instance=${i.instanceId} token=${i.registrationToken} openclaw=${i.openclawVersion}\n`,
  };
  workspaceId = newId("workspace");
  await database.db.insert(schema.workspaces).values({ id: workspaceId, name: "w", slug: workspaceId });
  credentialId = await addCredential(DO_TOKENS.valid);
}, 120_000);

afterAll(async () => {
  await queue?.stop();
  await database?.close();
  await tdb?.drop();
  await sim?.stop();
});

describe("provisioning", () => {
  it("takes a deploy from pending to ready through every step, with one server", async () => {
    const id = await newInstance();
    const before = sim.server.requests.length;
    await drive(id);
    console.log(
      `provider calls for one deploy: ${sim.server.requests
        .slice(before)
        .map((r) => `${r.method} ${r.path}`)
        .join(", ")}`,
    );
    expect(await row(id)).toMatchObject({ state: "booting", step: "awaiting_agent" });
    await agentCallsBack(id);
    const r = await row(id);
    expect(r).toMatchObject({ state: "ready", runningOpenclawVersion: "2026.9.6" });
    expect(dropletsOf(id)).toHaveLength(1);
    expect(r?.serverId).toBe(String(dropletsOf(id)[0]?.id));
    const events = await database.db.select().from(schema.instanceEvents).where(eq(schema.instanceEvents.instanceId, id));
    expect(events.map((e) => `${e.step}:${e.status}`)).toEqual(
      expect.arrayContaining(["creating:start", "creating:ok", "booting:ok", "agent_registered:ok", "ready:ok"]),
    );
    // Zero access: the firewall lets nothing in.
    expect(sim.firewallOf(String(dropletsOf(id)[0]?.id))?.inbound).toEqual([]);
  });

  it("finds the server when the create took effect but its answer was lost", async () => {
    const id = await newInstance();
    sim.injectFault("lost_response", { op: "create_server", times: 1 });
    await drive(id);
    expect(dropletsOf(id)).toHaveLength(1);
    expect((await row(id))?.step).toBe("awaiting_agent");
    await agentCallsBack(id); // the token in the first server's user-data is the one on record
    expect((await row(id))?.state).toBe("ready");
  });

  it("runs a duplicate delivery of the same job harmlessly", async () => {
    const id = await newInstance();
    await Promise.all([drive(id, "w1", 500), drive(id, "w2", 500), drive(id, "w3", 500)]);
    await drive(id, "w1");
    expect(dropletsOf(id)).toHaveLength(1);
  });

  it("fails fast, with the provider's reason, when the token was revoked", async () => {
    const revoked = await addCredential(DO_TOKENS.revoked);
    const id = await newInstance(revoked);
    await drive(id);
    const r = await row(id);
    expect(r?.state).toBe("failed");
    expect(r?.stateMessage).toMatch(/DigitalOcean/);
    expect(dropletsOf(id)).toHaveLength(0);
  });

  it("honours Retry-After on a 429", async () => {
    const id = await newInstance();
    await advanceProvisioning(deps, id, "w1"); // pending → create_pending
    sim.injectFault("rate_limit", { op: "list_servers", retryAfterSeconds: 42 });
    const outcome = await advanceProvisioning(deps, id, "w1");
    expect(outcome).toEqual({ again: expect.any(Number) });
    expect((outcome as { again: number }).again).toBeGreaterThanOrEqual(42);
    expect((await row(id))?.retries).toBe(1);
  });

  it("fails a server that never calls back, and deletes it", async () => {
    const id = await newInstance();
    await drive(id);
    await database.db
      .update(schema.instances)
      .set({ registrationExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.instances.id, id));
    await advanceProvisioning(deps, id, "w1");
    const r = await row(id);
    expect(r?.state).toBe("failed");
    expect(r?.stateMessage).toMatch(/never called back/);
    await finalizeDelete(deps, id, "w1", true);
    expect(dropletsOf(id).filter((d) => d.status !== "archive")).toHaveLength(0);
    expect((await row(id))?.state).toBe("failed"); // the row stays, with its reason
  });

  it("deletes the server, then the row", async () => {
    const id = await newInstance();
    await drive(id);
    await finalizeDelete(deps, id, "w1");
    expect(dropletsOf(id)).toHaveLength(0);
    expect(await row(id)).toBeUndefined();
  });
});

describe("delete after provisioning", () => {
  it("deletes the credential once the server is ready, and leaves the server to the user", async () => {
    const cred = await addCredential(DO_TOKENS.valid, true);
    const id = await newInstance(cred);
    await drive(id);
    await agentCallsBack(id);
    expect(await database.db.select().from(schema.cloudCredentials).where(eq(schema.cloudCredentials.id, cred))).toEqual([]);
    const events = await database.db.select().from(schema.instanceEvents).where(eq(schema.instanceEvents.instanceId, id));
    expect(events.find((e) => e.step === "credential_deleted")?.message).toMatch(/delete it in your cloud account/);
    await finalizeDelete(deps, id, "w1");
    expect(await row(id)).toBeUndefined();
    expect(dropletsOf(id)).toHaveLength(1); // Claw Cloud no longer has the access to remove it
  });
});

describe("the orphan sweeper", () => {
  it("deletes servers no live instance owns, and keeps the others", async () => {
    const live = await newInstance();
    await drive(live);
    const gone = await newInstance();
    await drive(gone);
    await database.db.delete(schema.instances).where(eq(schema.instances.id, gone)); // e.g. a crash mid-delete
    const report = await sweepOrphans(deps);
    expect(report.orphansDeleted).toBeGreaterThanOrEqual(1);
    expect(dropletsOf(gone)).toHaveLength(0);
    expect(dropletsOf(live)).toHaveLength(1);
  });
});

describe("a storm of transient faults", () => {
  it("brings every deploy to ready with no duplicate and, after the sweeper, no orphan", async () => {
    const n = Number(process.env.FAULT_SUITE_DEPLOYS ?? 60);
    const ids = await Promise.all(Array.from({ length: n }, () => newInstance()));
    for (const kind of ["server_error", "rate_limit", "network_reset", "lost_response"] as const) {
      sim.injectFault(kind, { probability: 0.3 / 4 / 0.7, times: Number.POSITIVE_INFINITY, retryAfterSeconds: 1 });
    }
    try {
      for (const id of ids) await drive(id, "w1", 200);
    } finally {
      sim.server.clearFaults();
    }
    let ready = 0;
    for (const id of ids) {
      if ((await row(id))?.step === "awaiting_agent") {
        await agentCallsBack(id);
        ready++;
      }
    }
    await sweepOrphans(deps);
    const duplicates = ids.filter((id) => dropletsOf(id).length > 1).length;
    const recorded = new Set<string>();
    for (const id of ids) recorded.add(String((await row(id))?.serverId));
    const orphans = ids.flatMap(dropletsOf).filter((d) => !recorded.has(String(d.id)));
    console.log(
      `fault storm: ${n} deploys, ${ready} ready (${((100 * ready) / n).toFixed(1)}%), ${duplicates} duplicates, ${orphans.length} orphans, ${sim.server.requests.length} provider calls in total`,
    );
    expect(duplicates).toBe(0);
    expect(orphans).toHaveLength(0);
    expect(ready).toBe(n);
  }, 300_000);
});

describe("retry and heartbeat loss", () => {
  it("retries a failed deploy on the same instance, adopting the server it left", async () => {
    const id = await newInstance();
    sim.injectFault("server_error", { op: "create_server", status: 422, times: 1 });
    await drive(id);
    expect((await row(id))?.state).toBe("failed");
    const { retryInstance } = await import("../src/instances/retry-instance.ts");
    const actor = {
      workspaceId,
      userId: "usr_x",
      sessionId: "ses_x",
      role: "owner" as const,
      user: { id: "usr_x", name: "", email: "", emailVerified: true, createdAt: new Date() },
    };
    const instanceDeps = {
      ...deps,
      catalog: undefined as never,
      defaultOpenclawVersion: "2026.9.6",
      cloudDeployBlocker: undefined,
      localDeployBlocker: undefined,
    };
    const retried = await retryInstance(instanceDeps, actor, id);
    expect(retried.state).toBe("pending");
    // The failed attempt's cleanup, delivered late, leaves the new attempt alone.
    await finalizeDelete(deps, id, "w1", true);
    await drive(id);
    await agentCallsBack(id);
    expect((await row(id))?.state).toBe("ready");
    expect(dropletsOf(id)).toHaveLength(1);
    await expect(retryInstance(instanceDeps, actor, id)).rejects.toThrow(/Only a failed deploy/);
  });

  it("marks an instance unreachable after 90 s without a heartbeat, and ready again on the next", async () => {
    const { markUnreachable } = await import("../src/instances/mark-unreachable.ts");
    const id = await newInstance();
    await drive(id);
    await agentCallsBack(id);
    await database.db
      .update(schema.instances)
      .set({ lastHeartbeatAt: new Date(Date.now() - 91_000) })
      .where(eq(schema.instances.id, id));
    expect(await markUnreachable(database.db)).toBeGreaterThanOrEqual(1);
    expect((await row(id))?.state).toBe("unreachable");
    await recordHeartbeat(database.db, id, {
      type: "heartbeat",
      seq: 5,
      agentVersion: "0.1.0",
      openclawVersion: "2026.9.6",
      gateway: { healthy: true, ready: true, startupVersion: "2026.9.6" },
      cpu: { load1: 0.1, cores: 2 },
      memory: { totalMb: 4096, availableMb: 3000 },
      disk: { totalMb: 80_000, freeMb: 70_000 },
      uptimeSec: 600,
    });
    expect((await row(id))?.state).toBe("ready");
  });
});
