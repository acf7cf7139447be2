// Monitoring against the real database: heartbeats decide ready/degraded, silence makes an
// instance unreachable, each change is on the timeline and opens or closes one incident; the
// buffer loses no heartbeat under concurrent load and writes in few transactions; metric points
// fold per minute, downsample per range, and expire after 7 days.
import { and, asc, type Database, eq, isNull, openDatabase, schema, sql } from "@clawcloud/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.ts";
import type { Actor } from "../src/actor.ts";
import { recordHeartbeat } from "../src/agents/record-heartbeat.ts";
import { newId } from "../src/ids.ts";
import { markUnreachable } from "../src/instances/mark-unreachable.ts";
import { getInstanceMetrics } from "../src/monitoring/get-metrics.ts";
import { HeartbeatBuffer } from "../src/monitoring/heartbeat-buffer.ts";
import { deleteOldMetrics } from "../src/monitoring/metrics-retention.ts";
import { raiseAlert } from "../src/monitoring/raise-alert.ts";

const log = { info() {}, debug() {}, error() {}, warn() {}, child: () => log };

let tdb: TestDatabase;
let database: Database;
let workspaceId: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase({ url: tdb.databaseUrl, dataDir: tdb.dataDir });
  workspaceId = newId("workspace");
  await database.db.insert(schema.workspaces).values({ id: workspaceId, name: "w", slug: workspaceId });
});
afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

async function instance(state = "ready", ws = workspaceId) {
  const id = newId("instance");
  await database.db
    .insert(schema.instances)
    .values({ id, workspaceId: ws, name: "watched", provider: "digitalocean", state, step: "ready", lastHeartbeatAt: new Date() });
  return id;
}

const heartbeat = (o: { gateway?: boolean; diskFreeMb?: number; memAvailableMb?: number; load?: number } = {}) => ({
  type: "heartbeat",
  seq: 1,
  agentVersion: "0.1.0",
  openclawVersion: "2026.9.6",
  gateway: { healthy: o.gateway ?? true, ready: o.gateway ?? true, startupVersion: "2026.9.6" },
  cpu: { load1: o.load ?? 0.2, cores: 2 },
  memory: { totalMb: 4096, availableMb: o.memAvailableMb ?? 2048 },
  disk: { totalMb: 50_000, freeMb: o.diskFreeMb ?? 40_000 },
  uptimeSec: 120,
});

const row = async (id: string) => (await database.db.select().from(schema.instances).where(eq(schema.instances.id, id)))[0];
const events = async (id: string) =>
  (
    await database.db
      .select()
      .from(schema.instanceEvents)
      .where(eq(schema.instanceEvents.instanceId, id))
      .orderBy(asc(schema.instanceEvents.at), asc(schema.instanceEvents.id))
  ).map((e) => `${e.step}:${e.status}`);
const incidents = (id: string) => database.db.select().from(schema.instanceIncidents).where(eq(schema.instanceIncidents.instanceId, id));

async function silence(id: string) {
  await database.db
    .update(schema.instances)
    .set({ lastHeartbeatAt: sql`now() - interval '91 seconds'` })
    .where(eq(schema.instances.id, id));
}

describe("instance health states", () => {
  it("goes degraded on each threshold, with the reason, and recovers", async () => {
    for (const [bad, reason] of [
      [{ gateway: false }, /gateway is not healthy/],
      [{ diskFreeMb: 4000 }, /disk is 92% full/],
      [{ memAvailableMb: 100 }, /Memory is nearly exhausted/],
    ] as const) {
      const id = await instance();
      await recordHeartbeat(database.db, id, heartbeat(bad));
      const degraded = await row(id);
      expect(degraded?.state).toBe("degraded");
      expect(degraded?.stateMessage).toMatch(reason);
      await recordHeartbeat(database.db, id, heartbeat(bad));
      await recordHeartbeat(database.db, id, heartbeat());
      expect((await row(id))?.state).toBe("ready");
      expect((await row(id))?.stateMessage).toBeNull();
      expect(await events(id)).toEqual(["degraded:failed", "recovered:ok"]);
      const [inc, ...more] = await incidents(id);
      expect(more).toHaveLength(0);
      expect(inc?.kind).toBe("degraded");
      expect(inc?.closedAt).not.toBeNull();
    }
  });

  it("keeps a disk at exactly 90% ready (the threshold is 'above 90%')", async () => {
    const id = await instance();
    await recordHeartbeat(database.db, id, heartbeat({ diskFreeMb: 5000 }));
    expect((await row(id))?.state).toBe("ready");
  });

  it("does not flap at a threshold: a degraded disk or memory recovers only below a lower bar", async () => {
    const id = await instance();
    // 91% → degraded; 89% and 86% → still degraded; 84% → recovered.
    for (const freeMb of [4500, 5500, 7000]) {
      await recordHeartbeat(database.db, id, heartbeat({ diskFreeMb: freeMb }));
      expect((await row(id))?.state, `${freeMb} MB free`).toBe("degraded");
    }
    await recordHeartbeat(database.db, id, heartbeat({ diskFreeMb: 8000 }));
    expect((await row(id))?.state).toBe("ready");
    // 4% available → degraded; 7% → still; 11% → recovered.
    for (const [mb, state] of [
      [160, "degraded"],
      [290, "degraded"],
      [450, "ready"],
    ] as const) {
      await recordHeartbeat(database.db, id, heartbeat({ memAvailableMb: mb }));
      expect((await row(id))?.state, `${mb} MB available`).toBe(state);
    }
    expect(await events(id)).toEqual(["degraded:failed", "recovered:ok", "degraded:failed", "recovered:ok"]);
  });

  it("does not call a gateway that an update holds down degraded, but one that is down otherwise", async () => {
    const id = await instance();
    const operationId = newId("operation");
    await database.db.insert(schema.instanceOperations).values({
      id: operationId,
      instanceId: id,
      kind: "update",
      fromVersion: "2026.9.5",
      toVersion: "2026.9.6",
      step: "update",
    });
    await recordHeartbeat(database.db, id, heartbeat({ gateway: false }));
    expect((await row(id))?.state).toBe("ready");
    // Disk trouble during the update still counts.
    await recordHeartbeat(database.db, id, heartbeat({ gateway: false, diskFreeMb: 1000 }));
    expect((await row(id))?.stateMessage).toBe("The disk is 98% full.");
    await recordHeartbeat(database.db, id, heartbeat());
    await database.db
      .update(schema.instanceOperations)
      .set({ status: "succeeded", finishedAt: new Date() })
      .where(eq(schema.instanceOperations.id, operationId));
    await recordHeartbeat(database.db, id, heartbeat({ gateway: false }));
    expect((await row(id))?.stateMessage).toMatch(/gateway is not healthy/);
  });

  it("marks a silent instance unreachable once, and one incident spans degraded → unreachable → recovered", async () => {
    const id = await instance();
    await recordHeartbeat(database.db, id, heartbeat({ gateway: false }));
    await silence(id);
    expect(await markUnreachable(database.db)).toBeGreaterThanOrEqual(1);
    expect(await markUnreachable(database.db)).toBe(0);
    const r = await row(id);
    expect(r?.state).toBe("unreachable");
    expect(r?.stateMessage).toMatch(/No heartbeat from the agent for 90 seconds/);
    // Still unhealthy when it comes back: degraded again, same incident.
    await recordHeartbeat(database.db, id, heartbeat({ gateway: false }));
    expect((await row(id))?.state).toBe("degraded");
    await recordHeartbeat(database.db, id, heartbeat());
    expect((await row(id))?.state).toBe("ready");
    expect(await events(id)).toEqual(["degraded:failed", "unreachable:failed", "degraded:failed", "recovered:ok"]);
    const all = await incidents(id);
    expect(all).toHaveLength(1);
    expect(all[0]?.closedAt).not.toBeNull();
  });

  it("does not touch the state of an instance being provisioned or deleted", async () => {
    const deleting = await instance("deleting");
    await recordHeartbeat(database.db, deleting, heartbeat({ gateway: false }));
    expect((await row(deleting))?.state).toBe("deleting");
    const booting = await instance("bootstrapping");
    await recordHeartbeat(database.db, booting, heartbeat({ gateway: false }));
    expect((await row(booting))?.state).toBe("bootstrapping");
    expect(await recordHeartbeat(database.db, booting, heartbeat())).toEqual({ becameReady: true });
    expect((await row(booting))?.state).toBe("ready");
  });

  it("raiseAlert: one incident open at a time, even when raised concurrently; update/backup failures always alert", async () => {
    const id = await instance();
    const raised = await Promise.all(
      [1, 2, 3, 4].map(() =>
        database.db.transaction((tx) => raiseAlert(tx, undefined, { instanceId: id, kind: "unreachable", reason: "test" })),
      ),
    );
    expect(raised.filter(Boolean)).toHaveLength(1);
    expect(
      await database.db
        .select()
        .from(schema.instanceIncidents)
        .where(and(eq(schema.instanceIncidents.instanceId, id), isNull(schema.instanceIncidents.closedAt))),
    ).toHaveLength(1);
    const recovered = await database.db.transaction((tx) => raiseAlert(tx, undefined, { instanceId: id, kind: "recovered", reason: "ok" }));
    expect(recovered?.kind).toBe("recovered");
    expect(
      await database.db.transaction((tx) => raiseAlert(tx, undefined, { instanceId: id, kind: "recovered", reason: "ok" })),
    ).toBeUndefined();
    for (const kind of ["update_failed", "update_failed", "backup_failed"] as const)
      expect((await database.db.transaction((tx) => raiseAlert(tx, undefined, { instanceId: id, kind, reason: "why" })))?.kind).toBe(kind);
  });
});

describe("the heartbeat buffer", () => {
  it("loses no heartbeat under concurrent load and writes them in a few transactions", async () => {
    const ids = await Promise.all(Array.from({ length: 40 }, () => instance()));
    const buffer = new HeartbeatBuffer({ db: database.db, log, intervalMs: 100 });
    const perInstance = 25;
    const started = Date.now();
    const results = await Promise.all(
      ids.flatMap((id) =>
        Array.from({ length: perInstance }, async (_, k) => {
          await new Promise((r) => setTimeout(r, Math.random() * 200));
          return buffer.add(id, heartbeat({ load: k }));
        }),
      ),
    );
    await buffer.close();
    const elapsed = Date.now() - started;
    expect(results).toHaveLength(ids.length * perInstance);
    expect(buffer.stats.heartbeats).toBe(ids.length * perInstance);
    // At most one write per interval (plus the final one), however many heartbeats arrive.
    expect(buffer.stats.flushes).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
    const points = await database.db
      .select({
        id: schema.instanceMetrics.instanceId,
        samples: sql<number>`sum(${schema.instanceMetrics.samples})::int`,
        load: sql<number>`max(${schema.instanceMetrics.cpuLoad})`,
      })
      .from(schema.instanceMetrics)
      .where(sql`${schema.instanceMetrics.instanceId} in ${ids}`)
      .groupBy(schema.instanceMetrics.instanceId);
    expect(points).toHaveLength(ids.length);
    for (const p of points) {
      expect(p.samples).toBe(perInstance);
      expect(Number(p.load)).toBe(perInstance - 1);
    }
    for (const id of ids) expect((await row(id))?.health).toBeTruthy();
  });

  it("refuses a bad frame at once without holding up the batch", async () => {
    const id = await instance();
    const buffer = new HeartbeatBuffer({ db: database.db, log, intervalMs: 20 });
    expect(() => buffer.add(id, { ...heartbeat(), chat: "hello" })).toThrow(/unknown field/);
    await buffer.add(id, heartbeat());
    await buffer.close();
  });

  it("drops a late heartbeat of a deleted instance instead of failing the batch", async () => {
    const live = await instance();
    const gone = newId("instance");
    const buffer = new HeartbeatBuffer({ db: database.db, log, intervalMs: 20 });
    await Promise.all([buffer.add(live, heartbeat()), buffer.add(gone, heartbeat())]);
    await buffer.close();
    expect(buffer.stats.failedFlushes).toBe(0);
  });
});

describe("metric points", () => {
  const actor = () => ({ userId: "usr_x", sessionId: "ses_x", workspaceId, role: "owner", isStaff: false, user: {} }) as unknown as Actor;

  it("folds a minute's heartbeats into one point and downsamples each range to a bounded number of points", async () => {
    const id = await instance();
    const now = Date.now();
    // 3 days of 1-minute points, inserted directly (what a week of heartbeats would leave).
    const rows = Array.from({ length: 3 * 1440 }, (_, k) => ({
      instanceId: id,
      bucket: new Date(Math.floor((now - k * 60_000) / 60_000) * 60_000),
      cpuLoad: 1,
      cpuCores: 2,
      memUsedMb: 1000 + (k % 10),
      memTotalMb: 4096,
      diskUsedMb: 10_000,
      diskTotalMb: 50_000,
      gatewayHealthy: k !== 30,
      samples: 4,
      openclawVersion: "2026.9.6",
      agentVersion: "0.1.0",
    }));
    for (let k = 0; k < rows.length; k += 1000) await database.db.insert(schema.instanceMetrics).values(rows.slice(k, k + 1000));
    const hour = await getInstanceMetrics(database.db, actor(), id, { range: "1h" });
    expect(hour.stepSec).toBe(60);
    expect(hour.points.length).toBeGreaterThanOrEqual(59);
    expect(hour.points.length).toBeLessThanOrEqual(61);
    expect(hour.points.some((p) => !p.gatewayHealthy)).toBe(true);
    const day = await getInstanceMetrics(database.db, actor(), id, { range: "24h" });
    expect(day.points.length).toBeLessThanOrEqual(145);
    expect(Math.max(...day.points.map((p) => p.memUsedMb))).toBe(1009);
    const week = await getInstanceMetrics(database.db, actor(), id, { range: "7d" });
    expect(week.points.length).toBeLessThanOrEqual(169);
    expect(week.points.length).toBeGreaterThanOrEqual(72);
    await expect(getInstanceMetrics(database.db, actor(), id, { range: "1y" })).rejects.toThrow();
    const otherWorkspace = { ...actor(), workspaceId: newId("workspace") } as Actor;
    await expect(getInstanceMetrics(database.db, otherWorkspace, id, { range: "1h" })).rejects.toThrow(/not found/);
  });

  it("deletes points older than 7 days in batches and keeps the rest", async () => {
    const id = await instance();
    const day = 86_400_000;
    const old = Array.from({ length: 250 }, (_, k) => ({ at: Date.now() - 8 * day - k * 60_000 }));
    const recent = Array.from({ length: 30 }, (_, k) => ({ at: Date.now() - 6 * day - k * 60_000 }));
    await database.db.insert(schema.instanceMetrics).values(
      [...old, ...recent].map(({ at }) => ({
        instanceId: id,
        bucket: new Date(Math.floor(at / 60_000) * 60_000),
        cpuLoad: 0,
        cpuCores: 1,
        memUsedMb: 1,
        memTotalMb: 2,
        diskUsedMb: 1,
        diskTotalMb: 2,
        gatewayHealthy: true,
        samples: 1,
        openclawVersion: null,
        agentVersion: "0.1.0",
      })),
    );
    expect(await deleteOldMetrics(database.db, { batchSize: 100 })).toBeGreaterThanOrEqual(250);
    const left = await database.db
      .select({ bucket: schema.instanceMetrics.bucket })
      .from(schema.instanceMetrics)
      .where(eq(schema.instanceMetrics.instanceId, id));
    expect(left).toHaveLength(30);
  });
});
