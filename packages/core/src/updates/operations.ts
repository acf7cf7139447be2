// Starting updates and rollbacks, pinning, and what the instance page shows about them. Starting
// writes the operation row, a timeline event and the job in one transaction; the partial unique
// index on running operations makes a second concurrent start a clear 409, never a second run.

import type { InstanceOperation } from "@clawcloud/contracts";
import { and, type Db, desc, eq, inArray, isNotNull, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { AppError } from "../errors.ts";
import { newId } from "../ids.ts";
import { recordEvent } from "../instances/events.ts";
import { findInstance } from "../instances/get-instance.ts";
import type { Queue, Tx } from "../queue/queue.ts";
import type { UpdateHooks } from "./hooks.ts";
import { compareVersions } from "./version-order.ts";
import { latestStable } from "./versions.ts";

export interface OperationDeps {
  db: Db;
  queue: Queue;
  hooks: UpdateHooks;
}

type InstanceRow = typeof schema.instances.$inferSelect;
type OperationRow = typeof schema.instanceOperations.$inferSelect;

export const UPDATABLE = new Set(["ready", "degraded"]);

/** OpenClaw's update and rollback, and the agent's own update: one running change per instance. */
export type OperationKind = "update" | "rollback" | "agent_update";
const FIRST_STEP: Record<OperationKind, string> = { update: "backup", rollback: "restore", agent_update: "agent_update" };
const TITLE: Record<OperationKind, string> = { update: "Update", rollback: "Rollback", agent_update: "Agent update" };
export const OPERATION_JOB = {
  update: "instance.update",
  rollback: "instance.rollback",
  agent_update: "instance.agent-update",
} as const satisfies Record<OperationKind, string>;
export const currentVersion = (r: InstanceRow) => r.runningOpenclawVersion ?? r.openclawVersion;

export async function pinnedVersion(db: Pick<Db, "select">, instanceId: string): Promise<string | null> {
  const [pin] = await db.select().from(schema.instancePins).where(eq(schema.instancePins.instanceId, instanceId)).limit(1);
  return pin?.version ?? null;
}

/** The last successful update with a backup: a rollback returns to its `fromVersion` with that backup. */
async function rollbackPoint(db: Db, row: InstanceRow): Promise<OperationRow | undefined> {
  const o = schema.instanceOperations;
  const [last] = await db
    .select()
    .from(o)
    .where(and(eq(o.instanceId, row.id), eq(o.kind, "update"), eq(o.status, "succeeded"), isNotNull(o.backup)))
    .orderBy(desc(o.createdAt))
    .limit(1);
  return last && last.toVersion === currentVersion(row) ? last : undefined;
}

const isUniqueViolation = (err: unknown) => {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code === "23505") return true;
  return false;
};

/** Inserts the operation and enqueues its job (in `tx`); CONFLICT when one already runs. */
export async function insertOperation(
  deps: OperationDeps,
  tx: Tx & Pick<Db, "insert">,
  row: InstanceRow,
  op: {
    kind: OperationKind;
    fromVersion: string;
    toVersion: string;
    backup?: string | null;
    rolloutId?: string | null;
    userId: string | null;
  },
): Promise<string> {
  const id = newId("operation");
  try {
    await tx.insert(schema.instanceOperations).values({
      id,
      instanceId: row.id,
      kind: op.kind,
      fromVersion: op.fromVersion,
      toVersion: op.toVersion,
      step: FIRST_STEP[op.kind],
      backup: op.backup ?? null,
      rolloutId: op.rolloutId ?? null,
      requestedBy: op.userId,
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError(
        "CONFLICT",
        "Another change to this instance (an update, a rollback or an agent update) is running; try again when it has finished.",
      );
    throw err;
  }
  const what = `${TITLE[op.kind]} ${op.fromVersion} → ${op.toVersion}`;
  await recordEvent(tx, row.id, op.kind, "info", `${what} requested${op.rolloutId ? " by a fleet rollout" : ""}`);
  await deps.queue.enqueue(tx, OPERATION_JOB[op.kind], { operationId: id }, { singletonKey: id });
  return id;
}

export async function requestUpdate(
  deps: OperationDeps,
  actor: Actor,
  id: string,
  input: { version?: string | undefined },
): Promise<InstanceOperation> {
  const row = await findInstance(deps.db, actor, id);
  if (!UPDATABLE.has(row.state)) throw new AppError("CONFLICT", `Only a running instance can be updated; this one is ${row.state}.`);
  const from = currentVersion(row);
  if (!from) throw new AppError("CONFLICT", "This instance has not reported its OpenClaw version yet; try again in a minute.");
  const pin = await pinnedVersion(deps.db, id);
  const target = input.version ?? pin ?? (await latestStable(deps.db));
  if (!target)
    throw new AppError(
      "UNAVAILABLE",
      "The newest OpenClaw version is not known yet (the package registry has not answered); try again later.",
    );
  if (pin && target !== pin)
    throw new AppError("CONFLICT", `This instance is pinned to ${pin}. Unpin it (or pin ${target}) to update to ${target}.`);
  if (target === from) throw new AppError("CONFLICT", `This instance already runs OpenClaw ${target}.`);
  if (!input.version && compareVersions(target, from) < 0)
    throw new AppError("CONFLICT", `This instance runs ${from}, newer than ${target}.`);
  const operationId = await deps.db.transaction(async (tx) => {
    const opId = await insertOperation(deps, tx, row, { kind: "update", fromVersion: from, toVersion: target, userId: actor.userId });
    await recordAudit(tx, {
      action: "instance.update",
      workspaceId: row.workspaceId,
      actor: { type: "user", id: actor.userId },
      target: { type: "instance", id },
      metadata: { operationId: opId, fromVersion: from, toVersion: target },
      ip: actor.ip,
    });
    return opId;
  });
  await deps.hooks.emitRequested({
    operationId,
    instanceId: id,
    workspaceId: row.workspaceId,
    kind: "update",
    fromVersion: from,
    toVersion: target,
    userId: actor.userId,
    rolloutId: null,
  });
  return operationView(await getOperation(deps.db, operationId));
}

export async function requestRollback(deps: OperationDeps, actor: Actor, id: string): Promise<InstanceOperation> {
  const row = await findInstance(deps.db, actor, id);
  if (!UPDATABLE.has(row.state)) throw new AppError("CONFLICT", `Only a running instance can be rolled back; this one is ${row.state}.`);
  const point = await rollbackPoint(deps.db, row);
  if (!point)
    throw new AppError("CONFLICT", "There is no previous version to roll back to: no successful update with a backup led to this version.");
  const pin = await pinnedVersion(deps.db, id);
  if (pin && pin !== point.fromVersion)
    throw new AppError("CONFLICT", `This instance is pinned to ${pin}. Unpin it to roll back to ${point.fromVersion}.`);
  const operationId = await deps.db.transaction(async (tx) => {
    const opId = await insertOperation(deps, tx, row, {
      kind: "rollback",
      fromVersion: point.toVersion,
      toVersion: point.fromVersion,
      backup: point.backup,
      userId: actor.userId,
    });
    await recordAudit(tx, {
      action: "instance.rollback",
      workspaceId: row.workspaceId,
      actor: { type: "user", id: actor.userId },
      target: { type: "instance", id },
      metadata: { operationId: opId, fromVersion: point.toVersion, toVersion: point.fromVersion },
      ip: actor.ip,
    });
    return opId;
  });
  await deps.hooks.emitRequested({
    operationId,
    instanceId: id,
    workspaceId: row.workspaceId,
    kind: "rollback",
    fromVersion: point.toVersion,
    toVersion: point.fromVersion,
    userId: actor.userId,
    rolloutId: null,
  });
  return operationView(await getOperation(deps.db, operationId));
}

export async function setPin(db: Db, actor: Actor, id: string, version: string | null): Promise<{ pinnedVersion: string | null }> {
  const row = await findInstance(db, actor, id);
  await db.transaction(async (tx) => {
    if (version === null) {
      await tx.delete(schema.instancePins).where(eq(schema.instancePins.instanceId, row.id));
      await recordEvent(tx, row.id, "pin", "info", "Version pin removed: updates and rollouts may change the version");
    } else {
      await tx
        .insert(schema.instancePins)
        .values({ instanceId: row.id, version })
        .onConflictDoUpdate({ target: schema.instancePins.instanceId, set: { version, pinnedAt: new Date() } });
      await recordEvent(tx, row.id, "pin", "info", `Pinned to OpenClaw ${version}: rollouts skip this instance`);
    }
  });
  return { pinnedVersion: version };
}

export async function getOperation(db: Pick<Db, "select">, id: string): Promise<OperationRow> {
  const [op] = await db.select().from(schema.instanceOperations).where(eq(schema.instanceOperations.id, id)).limit(1);
  if (!op) throw new AppError("NOT_FOUND", "This operation was not found.");
  return op;
}

export function operationView(o: OperationRow): InstanceOperation {
  return {
    id: o.id,
    kind: o.kind as InstanceOperation["kind"],
    fromVersion: o.fromVersion,
    toVersion: o.toVersion,
    step: o.step,
    status: o.status as InstanceOperation["status"],
    message: o.message,
    createdAt: o.createdAt.toISOString(),
    finishedAt: o.finishedAt?.toISOString() ?? null,
  };
}

/** The update fields of GET /instances/{id}. */
export async function updateInfo(db: Db, row: InstanceRow) {
  const o = schema.instanceOperations;
  const [[channel], pin, [last], point, [agentLast]] = await Promise.all([
    db.select().from(schema.openclawChannels).where(eq(schema.openclawChannels.channel, "stable")).limit(1),
    pinnedVersion(db, row.id),
    db
      .select()
      .from(o)
      .where(and(eq(o.instanceId, row.id), inArray(o.kind, ["update", "rollback"])))
      .orderBy(desc(o.createdAt))
      .limit(1),
    rollbackPoint(db, row),
    db
      .select()
      .from(o)
      .where(and(eq(o.instanceId, row.id), eq(o.kind, "agent_update")))
      .orderBy(desc(o.createdAt))
      .limit(1),
  ]);
  const current = currentVersion(row);
  const latest = channel?.version ?? null;
  return {
    latestVersion: latest,
    latestVersionFetchedAt: channel?.fetchedAt.toISOString() ?? null,
    updateAvailable: !!latest && !!current && !pin && compareVersions(latest, current) > 0,
    pinnedVersion: pin,
    rollbackVersion: point?.fromVersion ?? null,
    operation: last ? operationView(last) : null,
    agentUpdate: agentLast ? operationView(agentLast) : null,
  };
}
