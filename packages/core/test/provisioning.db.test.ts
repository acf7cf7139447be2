// The provisioning state machine against the DigitalOcean simulator and the real database:
// happy path, lost create responses, duplicate delivery, fast failures, Retry-After, the
// registration deadline, the delete finalizer, the orphan sweeper, and a fault storm.
import { type Database, eq, openDatabase, schema } from "@clawcloud/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.ts";
import { type DigitalOceanSimulator, DO_TOKENS } from "../../providers/test/simulator/digitalocean.ts";
import { recordHeartbeat } from "../src/agents/record-heartbeat.ts";
import { finalizeDelete } from "../src/instances/delete-instance.ts";
import { advanceProvisioning, type ProvisionDeps } from "../src/instances/provision.ts";
import { sweepOrphans } from "../src/instances/sweep-orphans.ts";
import * as harness from "./support/provisioning-harness.ts";

let h: harness.Harness;
let sim: DigitalOceanSimulator;
let tdb: TestDatabase;
let database: Database;
let deps: ProvisionDeps;
let workspaceId: string;

const addCredential = (token: string, deleteAfterProvisioning = false) => harness.addCredential(h, token, deleteAfterProvisioning);

let credentialId: string;

const newInstance = (cred = credentialId, extra: Partial<typeof schema.instances.$inferInsert> = {}) => harness.newInstance(h, cred, extra);
const row = (id: string) => harness.instanceRow(h, id);
const dropletsOf = (id: string) => harness.dropletsOf(sim, id);
/** Runs the state machine as a worker would, skipping the waits, until it settles or waits on the agent. */
const drive = (id: string, worker = "w1", maxSteps = 60) => harness.drive(h, id, { worker, maxSteps });
/** What the agent on the server does: register with the token from the user-data, then heartbeat. */
const agentCallsBack = (id: string) => harness.agentCallsBack(h, id);

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase({ url: tdb.databaseUrl, dataDir: tdb.dataDir });
  h = await harness.startHarness({ database });
  ({ sim, deps, workspaceId } = h);
  credentialId = await addCredential(DO_TOKENS.valid);
}, 120_000);

afterAll(async () => {
  await h?.stop();
  await database?.close();
  await tdb?.drop();
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
    const [audited] = await database.db.select().from(schema.auditLog).where(eq(schema.auditLog.targetId, cred));
    expect(audited).toMatchObject({ action: "credential.delete", actorType: "system", targetType: "credential" });
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
    const before = sim.server.requests.length;
    harness.injectTransientFaults(sim, 0.3);
    let report: harness.DeployReport;
    try {
      report = await harness.runDeploys(h, ids, { concurrency: 10, duplicateEvery: 10 });
    } finally {
      sim.server.clearFaults();
    }
    console.log(
      `fault storm: ${n} deploys, ${report.ready} ready (${((100 * report.ready) / n).toFixed(1)}%), ${report.duplicates} duplicates, ${report.orphans} orphans, ${sim.server.requests.length - before} provider calls`,
    );
    expect(report.duplicates).toBe(0);
    expect(report.orphans).toBe(0);
    expect(report.ready).toBe(n);
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
      isStaff: false,
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
    const [audited] = await database.db.select().from(schema.auditLog).where(eq(schema.auditLog.targetId, id));
    expect(audited).toMatchObject({ action: "instance.retry", actorType: "user", actorId: "usr_x", workspaceId });
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
    await recordHeartbeat(database.db, id, harness.heartbeat({ seq: 5, uptimeSec: 600 }));
    expect((await row(id))?.state).toBe("ready");
  });
});
