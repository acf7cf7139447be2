// Fleet rollouts (staff only): a target version goes out ring by ring — by default 1 %, 10 %,
// then 100 % of the eligible instances (ready, not pinned, on an older version) — with a bake
// time after each ring. A ring whose failed + rolled-back share crosses the threshold halts the
// rollout at once. advanceRollouts() runs every minute (jobs/rollouts-advance.ts).

import { createRolloutSchema, type Rollout } from "@clawcloud/contracts";
import { and, asc, type Db, desc, eq, inArray, notExists, schema, sql } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { AppError } from "../errors.ts";
import { newId } from "../ids.ts";
import type { Logger } from "../logger.ts";
import { parseInput } from "../validate.ts";
import { currentVersion, insertOperation, type OperationDeps } from "./operations.ts";
import { compareVersions } from "./version-order.ts";

type RolloutRow = typeof schema.rollouts.$inferSelect;

/** Staff routes answer 404 to everyone else: their existence is nobody else's business. */
export function requireStaff(actor: Actor): void {
  if (!actor.isStaff) throw new AppError("NOT_FOUND", "This page was not found.");
}

export async function createRollout(deps: OperationDeps, actor: Actor, input: unknown): Promise<Rollout> {
  requireStaff(actor);
  const v = parseInput(createRolloutSchema, input);
  const [running] = await deps.db
    .select({ id: schema.rollouts.id })
    .from(schema.rollouts)
    .where(inArray(schema.rollouts.status, ["running", "paused"]))
    .limit(1);
  if (running) throw new AppError("CONFLICT", `Rollout ${running.id} is still in progress: finish or halt it first.`);
  const id = newId("rollout");
  await deps.db.transaction(async (tx) => {
    await tx.insert(schema.rollouts).values({
      id,
      targetVersion: v.targetVersion,
      rings: v.rings,
      bakeSeconds: v.bakeSeconds,
      failureThreshold: v.failureThreshold,
      createdBy: actor.userId,
    });
    await deps.queue.enqueue(tx, "rollouts.advance", {}, { singletonKey: `advance:${id}` });
  });
  return getRollout(deps.db, actor, id);
}

export async function setRolloutStatus(deps: OperationDeps, actor: Actor, id: string, action: "pause" | "resume"): Promise<Rollout> {
  requireStaff(actor);
  const r = await findRollout(deps.db, id);
  const allowed = action === "pause" ? ["running"] : ["paused", "halted"];
  if (!allowed.includes(r.status))
    throw new AppError("CONFLICT", `A ${r.status} rollout cannot be ${action === "pause" ? "paused" : "resumed"}.`);
  // Resuming a halted rollout accepts the failures seen so far in its ring (someone looked at them).
  const accepted =
    r.status === "halted"
      ? (await ringStats(deps.db, id))
          .filter((s) => s.ring === r.currentRing && (s.status === "failed" || s.status === "rolled_back"))
          .reduce((a, s) => a + s.n, 0)
      : r.failuresAccepted;
  await deps.db.transaction(async (tx) => {
    await tx
      .update(schema.rollouts)
      .set({
        status: action === "pause" ? "paused" : "running",
        updatedAt: new Date(),
        failuresAccepted: accepted,
        ...(action === "resume" ? { message: null } : {}),
      })
      .where(eq(schema.rollouts.id, id));
    if (action === "resume") await deps.queue.enqueue(tx, "rollouts.advance", {}, { singletonKey: `advance:${id}` });
  });
  return getRollout(deps.db, actor, id);
}

async function findRollout(db: Db, id: string): Promise<RolloutRow> {
  const [r] = await db.select().from(schema.rollouts).where(eq(schema.rollouts.id, id)).limit(1);
  if (!r) throw new AppError("NOT_FOUND", "This rollout was not found.");
  return r;
}

export async function getRollout(db: Db, actor: Actor, id: string): Promise<Rollout> {
  requireStaff(actor);
  return rolloutView(db, await findRollout(db, id));
}

export async function listRollouts(db: Db, actor: Actor): Promise<{ items: Rollout[] }> {
  requireStaff(actor);
  const rows = await db.select().from(schema.rollouts).orderBy(desc(schema.rollouts.createdAt)).limit(50);
  return { items: await Promise.all(rows.map((r) => rolloutView(db, r))) };
}

async function ringStats(db: Db, rolloutId: string) {
  const t = schema.rolloutTargets;
  const o = schema.instanceOperations;
  return db
    .select({ ring: t.ring, status: o.status, n: sql<number>`count(*)::int` })
    .from(t)
    .leftJoin(o, eq(o.id, t.operationId))
    .where(eq(t.rolloutId, rolloutId))
    .groupBy(t.ring, o.status);
}

async function rolloutView(db: Db, r: RolloutRow): Promise<Rollout> {
  const stats = await ringStats(db, r.id);
  const count = (ring: number, status: string) => stats.filter((s) => s.ring === ring && s.status === status).reduce((a, s) => a + s.n, 0);
  return {
    id: r.id,
    targetVersion: r.targetVersion,
    status: r.status as Rollout["status"],
    rings: r.rings,
    currentRing: r.currentRing,
    bakeSeconds: r.bakeSeconds,
    failureThreshold: r.failureThreshold,
    message: r.message,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    progress: r.rings.map((percent, ring) => ({
      ring,
      percent,
      targets: stats.filter((s) => s.ring === ring).reduce((a, s) => a + s.n, 0),
      running: count(ring, "running"),
      succeeded: count(ring, "succeeded"),
      failed: count(ring, "failed"),
      rolledBack: count(ring, "rolled_back"),
    })),
  };
}

/** One pass over the running rollouts; returns how many updates it started. */
export async function advanceRollouts(deps: OperationDeps & { log: Logger }, now = new Date()): Promise<number> {
  const running = await deps.db
    .select()
    .from(schema.rollouts)
    .where(eq(schema.rollouts.status, "running"))
    .orderBy(asc(schema.rollouts.createdAt));
  let started = 0;
  for (const r of running) started += await advanceOne(deps, r, now);
  return started;
}

async function advanceOne(deps: OperationDeps & { log: Logger }, r: RolloutRow, now: Date): Promise<number> {
  const { db } = deps;
  const set = (values: Partial<RolloutRow>) =>
    db
      .update(schema.rollouts)
      .set({ ...values, updatedAt: now })
      .where(and(eq(schema.rollouts.id, r.id), eq(schema.rollouts.status, "running")));
  const stats = (await ringStats(db, r.id)).filter((s) => s.ring === r.currentRing);
  const total = stats.reduce((a, s) => a + s.n, 0);
  const bad = stats.filter((s) => s.status === "failed" || s.status === "rolled_back").reduce((a, s) => a + s.n, 0);
  if (total > 0 && (bad - r.failuresAccepted) / total > r.failureThreshold) {
    const message = `Halted: ${bad} of ${total} updates in ring ${r.currentRing + 1} (${r.rings[r.currentRing]} %) failed or rolled back, above the ${Math.round(r.failureThreshold * 100)} % threshold.`;
    await set({ status: "halted", message });
    deps.log.warn({ rolloutId: r.id, ring: r.currentRing, bad, total }, "rollout halted");
    return 0;
  }
  if (total === 0) {
    const picked = await startRing(deps, r);
    if (picked > 0) return picked;
    // Nothing eligible for this ring: straight on to the next one (no bake for an empty ring).
    await moveOn(r, set);
    return 0;
  }
  if (stats.some((s) => s.status === "running" || s.status === null)) return 0;
  const last = r.currentRing >= r.rings.length - 1;
  if (!last && !r.ringFinishedAt) {
    await set({ ringFinishedAt: now, message: `Ring ${r.currentRing + 1} done; baking for ${r.bakeSeconds} s` });
    if (r.bakeSeconds > 0) return 0;
  }
  const bakedSince = r.ringFinishedAt ?? now;
  if (!last && now.getTime() - bakedSince.getTime() < r.bakeSeconds * 1000) return 0;
  await moveOn(r, set);
  return 0;
}

async function moveOn(r: RolloutRow, set: (v: Partial<RolloutRow>) => Promise<unknown>): Promise<void> {
  if (r.currentRing >= r.rings.length - 1)
    await set({ status: "completed", message: `Every eligible instance was offered ${r.targetVersion}.` });
  else await set({ currentRing: r.currentRing + 1, ringFinishedAt: null, failuresAccepted: 0, message: null });
}

/** Picks this ring's share of the eligible instances and starts their updates. */
async function startRing(deps: OperationDeps & { log: Logger }, r: RolloutRow): Promise<number> {
  const { db } = deps;
  const i = schema.instances;
  const t = schema.rolloutTargets;
  const candidates = await db
    .select()
    .from(i)
    .where(
      and(
        eq(i.state, "ready"),
        notExists(db.select({ x: sql`1` }).from(schema.instancePins).where(eq(schema.instancePins.instanceId, i.id))),
        notExists(
          db
            .select({ x: sql`1` })
            .from(t)
            .where(and(eq(t.instanceId, i.id), eq(t.rolloutId, r.id))),
        ),
        notExists(
          db
            .select({ x: sql`1` })
            .from(schema.instanceOperations)
            .where(and(eq(schema.instanceOperations.instanceId, i.id), eq(schema.instanceOperations.status, "running"))),
        ),
      ),
    )
    .orderBy(asc(i.id));
  const eligible = candidates.filter((c) => {
    const v = currentVersion(c);
    return !!v && compareVersions(v, r.targetVersion) < 0;
  });
  const [done] = await db.select({ n: sql<number>`count(*)::int` }).from(t).where(eq(t.rolloutId, r.id));
  const already = done?.n ?? 0;
  const percent = r.rings[r.currentRing] ?? 100;
  const want = Math.ceil(((already + eligible.length) * percent) / 100) - already;
  let started = 0;
  for (const row of eligible.slice(0, Math.max(0, want))) {
    try {
      const operationId = await db.transaction(async (tx) => {
        const id = await insertOperation(deps, tx, row, {
          kind: "update",
          fromVersion: currentVersion(row) as string,
          toVersion: r.targetVersion,
          rolloutId: r.id,
          userId: null,
        });
        await tx.insert(t).values({ rolloutId: r.id, instanceId: row.id, ring: r.currentRing, operationId: id });
        await recordAudit(tx, {
          action: "instance.update",
          workspaceId: row.workspaceId,
          actor: { type: "system", id: `rollout:${r.id}` },
          target: { type: "instance", id: row.id },
          metadata: { operationId: id, fromVersion: currentVersion(row), toVersion: r.targetVersion, ring: r.currentRing },
        });
        return id;
      });
      started++;
      await deps.hooks.emitRequested({
        operationId,
        instanceId: row.id,
        workspaceId: row.workspaceId,
        kind: "update",
        fromVersion: currentVersion(row) as string,
        toVersion: r.targetVersion,
        userId: null,
        rolloutId: r.id,
      });
    } catch (err) {
      // Someone started an update of this instance in the meantime: the next ring may take it.
      if (!(err instanceof AppError && err.code === "CONFLICT")) throw err;
    }
  }
  if (started > 0) deps.log.info({ rolloutId: r.id, ring: r.currentRing, started }, "rollout ring started");
  return started;
}
