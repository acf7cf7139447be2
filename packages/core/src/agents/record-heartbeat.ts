// Heartbeats, applied in batches (monitoring/heartbeat-buffer.ts collects them): one statement
// updates every instance's latest health, one upserts the minute's metric points, and only the
// instances whose state changes get statements of their own. The first healthy heartbeat after
// bootstrap makes an instance `ready`; afterwards each heartbeat decides `ready` or `degraded`
// (monitoring/health-thresholds.ts), and a heartbeat ends `unreachable`. Heartbeats carry
// versions and machine figures only — never chat or secrets.
import { type Heartbeat, heartbeatSchema } from "@clawcloud/contracts";
import { and, type Db, eq, inArray, schema, sql } from "@clawcloud/db";
import { recordAudit } from "../audit/record-audit.ts";
import { recordEvent } from "../instances/events.ts";
import { gatewayDown, healthProblems } from "../monitoring/health-thresholds.ts";
import { upsertMetricPoints } from "../monitoring/metric-points.ts";
import { raiseAlert } from "../monitoring/raise-alert.ts";
import type { Queue } from "../queue/queue.ts";
import { parseInput } from "../validate.ts";

export interface ReceivedHeartbeat {
  instanceId: string;
  hb: Heartbeat;
  at: Date;
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const BOOTING = new Set(["bootstrapping", "booting", "creating"]);
const RUNNING = new Set(["ready", "degraded", "unreachable"]);

export function parseHeartbeat(input: unknown): Heartbeat {
  return parseInput(heartbeatSchema, input);
}

/** One heartbeat on its own (tests, tools); the server batches through the buffer. */
export async function recordHeartbeat(db: Db, instanceId: string, input: unknown, queue?: Queue): Promise<{ becameReady: boolean }> {
  const ready = await applyHeartbeats(db, queue, [{ instanceId, hb: parseHeartbeat(input), at: new Date() }]);
  return { becameReady: ready.has(instanceId) };
}

/** Applies validated heartbeats in one transaction; returns the instances that became ready. */
export async function applyHeartbeats(db: Db, queue: Queue | undefined, batch: ReceivedHeartbeat[]): Promise<Set<string>> {
  const latest = new Map<string, ReceivedHeartbeat>();
  for (const r of batch) {
    const prev = latest.get(r.instanceId);
    if (!prev || prev.at <= r.at) latest.set(r.instanceId, r);
  }
  if (latest.size === 0) return new Set();
  return db.transaction(async (tx) => {
    const states = await updateLatest(tx, [...latest.values()]);
    const becameReady = new Set<string>();
    for (const [id, state] of states) {
      const r = latest.get(id);
      if (r && (await applyState(tx, queue, r, state))) becameReady.add(id);
    }
    // Only instances that still exist (a deleted one's late heartbeat is dropped).
    await upsertMetricPoints(
      tx,
      batch.filter((r) => states.has(r.instanceId)),
    );
    return becameReady;
  });
}

/** One statement for the whole batch; rows are locked in id order so concurrent writers cannot deadlock. */
async function updateLatest(tx: Tx, rows: ReceivedHeartbeat[]): Promise<Map<string, string>> {
  const values = sql.join(
    rows.map(
      ({ instanceId, hb, at }) =>
        sql`(${instanceId}::text, ${at.toISOString()}::timestamptz, ${hb.agentVersion}::text, ${hb.openclawVersion}::text, ${JSON.stringify(
          { gateway: hb.gateway, cpu: hb.cpu, memory: hb.memory, disk: hb.disk, uptimeSec: hb.uptimeSec },
        )}::jsonb)`,
    ),
    sql`, `,
  );
  const result = await tx.execute<{ id: string; state: string }>(sql`
    with v (id, at, agent_version, openclaw_version, health) as (values ${values}),
    locked as (select i.id from instances i join v on v.id = i.id order by i.id for update of i)
    update instances i set last_heartbeat_at = v.at, agent_version = v.agent_version,
      running_openclaw_version = v.openclaw_version, health = v.health, updated_at = now()
    from v join locked on locked.id = v.id
    where i.id = v.id
    returning i.id, i.state`);
  return new Map(result.rows.map((r) => [r.id, r.state]));
}

/** Moves the instance to the state its heartbeat implies; true when it just became ready. */
async function applyState(tx: Tx, queue: Queue | undefined, { instanceId, hb }: ReceivedHeartbeat, state: string): Promise<boolean> {
  const i = schema.instances;
  if (BOOTING.has(state)) {
    if (!hb.gateway.ready) return false;
    await tx
      .update(i)
      .set({ state: "ready", step: "ready", stateMessage: null, readyAt: new Date() })
      .where(and(eq(i.id, instanceId), eq(i.state, state)));
    await recordEvent(tx, instanceId, "ready", "ok", hb.openclawVersion ? `OpenClaw ${hb.openclawVersion} is ready` : "Ready");
    await forgetCredentialIfAsked(tx, instanceId);
    return true;
  }
  if (!RUNNING.has(state)) return false;
  // A ready instance whose gateway an update (or rollback) has stopped on purpose is not degraded:
  // the operation reports its own outcome. Asked only when the gateway is down, which is rare.
  const gatewayHeldDown = state === "ready" && gatewayDown(hb) && (await changeRunning(tx, instanceId));
  const problems = healthProblems(hb, { degraded: state === "degraded", gatewayHeldDown });
  const next = problems.length > 0 ? "degraded" : "ready";
  if (next === state) return false;
  const reason = problems.length > 0 ? problems.join(" ") : "Heartbeats are back and every health check passes.";
  await tx
    .update(i)
    .set({ state: next, stateMessage: next === "degraded" ? reason : null })
    .where(eq(i.id, instanceId));
  if (next === "degraded") {
    await recordEvent(tx, instanceId, "degraded", "failed", reason);
    await raiseAlert(tx, queue, { instanceId, kind: "degraded", reason });
  } else {
    await recordEvent(tx, instanceId, "recovered", "ok", reason);
    await raiseAlert(tx, queue, { instanceId, kind: "recovered", reason });
  }
  return false;
}

async function changeRunning(tx: Tx, instanceId: string): Promise<boolean> {
  const o = schema.instanceOperations;
  const running = await tx
    .select({ id: o.id })
    .from(o)
    .where(and(eq(o.instanceId, instanceId), eq(o.status, "running"), inArray(o.kind, ["update", "rollback"])))
    .limit(1);
  return running.length > 0;
}

/**
 * "Delete after provisioning": once the server is up, the cloud credential it was made with is
 * deleted, so Claw Cloud holds no access to the account at all. Deleting the instance then
 * leaves the server to the user, which the timeline says.
 */
async function forgetCredentialIfAsked(tx: Pick<Db, "select" | "delete" | "insert" | "execute">, instanceId: string): Promise<void> {
  const [row] = await tx
    .select({
      credentialId: schema.cloudCredentials.id,
      workspaceId: schema.instances.workspaceId,
      provider: schema.cloudCredentials.provider,
    })
    .from(schema.instances)
    .innerJoin(schema.cloudCredentials, eq(schema.cloudCredentials.id, schema.instances.credentialId))
    .where(and(eq(schema.instances.id, instanceId), eq(schema.cloudCredentials.deleteAfterProvisioning, true)));
  if (!row) return;
  await tx.delete(schema.cloudCredentials).where(eq(schema.cloudCredentials.id, row.credentialId));
  await recordAudit(tx, {
    action: "credential.delete",
    workspaceId: row.workspaceId,
    actor: { type: "system", id: "delete-after-provisioning" },
    target: { type: "credential", id: row.credentialId },
    metadata: { provider: row.provider, reason: "deleted after provisioning, as asked", instanceId },
  });
  await recordEvent(
    tx,
    instanceId,
    "credential_deleted",
    "info",
    "The cloud account's token was deleted after provisioning, as you asked. To remove this server later, delete it in your cloud account.",
  );
}
