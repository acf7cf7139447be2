// Runs one update or rollback on the instance, step by step, through agent commands. The step is
// persisted before each command and each command's id is `<operation>:<step>`, so a job retried
// after a worker crash resumes at that step and the agent answers a command it already ran from
// memory instead of running it twice. The instance lease keeps a second worker out.
//
// update:   backup → update → health → succeeded
//           backup fails → failed ("no backup, no update"), nothing was changed
//           update fails → rollback_check (the updater restores the old package itself: is the old
//                          version healthy again?) → rolled_back, or → restore
//           health fails → restore (the new version ran and may have migrated the state)
//           restore → restore_health → rolled_back (or failed: needs a person)
// rollback: restore → restore_health → succeeded
// agent_update (agent-update-steps.ts): agent_update → agent_health → succeeded
//           the new bundle's trial fails → rolled_back (the old agent runs again; it never stopped
//           being the bundle the service starts)
import { AGENT_COMMANDS, backupResultSchema } from "@clawcloud/contracts";
import { eq, schema } from "@clawcloud/db";
import { recordEvent } from "../instances/events.ts";
import { releaseLease, takeLease } from "../instances/lease.ts";
import { isTransient } from "./agent-channel.ts";
import { AGENT_UPDATE_STEPS, agentUpdateStep, agentUpdateSummary } from "./agent-update-steps.ts";
import { command, type Op, type Outcome, type RunOperationDeps } from "./operation-step.ts";
import { getOperation, OPERATION_JOB, type OperationKind } from "./operations.ts";

const MIN = 60_000;
/** How long each command may take on the agent (OpenClaw's updater took 275 s on 2 vCPUs). */
const COMMAND_TIMEOUT_MS: Record<string, number> = { backup: 15 * MIN, update: 30 * MIN, restore: 25 * MIN };
const LEASE_SEC = 45 * 60;
const RETRY_AFTER_SEC = 15;

export async function runOperation(deps: RunOperationDeps, operationId: string, worker: string): Promise<void> {
  const first = await getOperation(deps.db, operationId);
  if (first.status !== "running") return;
  const kind = OPERATION_JOB[first.kind as OperationKind];
  if (!(await takeLease(deps.db, first.instanceId, worker, LEASE_SEC))) {
    // Another worker holds the instance (a deploy step or this operation's earlier delivery).
    await deps.queue.enqueue(deps.db, kind, { operationId }, { startAfter: RETRY_AFTER_SEC * 2 });
    return;
  }
  try {
    for (;;) {
      const op = await getOperation(deps.db, operationId);
      if (op.status !== "running") return;
      let outcome: Outcome;
      try {
        outcome = await runStep(deps, op);
      } catch (err) {
        if (!isTransient(err)) throw err;
        // The agent is away (restarting, reconnecting): the same step, the same command id, later.
        await recordEvent(deps.db, op.instanceId, op.step, "info", `Waiting for the agent: ${(err as Error).message}`);
        await deps.queue.enqueue(deps.db, kind, { operationId }, { startAfter: RETRY_AFTER_SEC });
        return;
      }
      if ("again" in outcome) {
        await deps.queue.enqueue(deps.db, kind, { operationId }, { startAfter: outcome.again });
        return;
      }
      if ("next" in outcome) {
        await deps.db.transaction(async (tx) => {
          await tx
            .update(schema.instanceOperations)
            .set({ step: outcome.next, ...(outcome.message ? { message: outcome.message } : {}) })
            .where(eq(schema.instanceOperations.id, op.id));
        });
        continue;
      }
      await finish(deps, op, outcome);
      return;
    }
  } finally {
    await releaseLease(deps.db, first.instanceId, worker);
  }
}

const health = (deps: RunOperationDeps, op: Op, version: string, timeoutSec: number) =>
  command(deps, op, AGENT_COMMANDS.health, { version, timeoutSec }, (timeoutSec + 60) * 1000);

async function runStep(deps: RunOperationDeps, op: Op): Promise<Outcome> {
  if (AGENT_UPDATE_STEPS.has(op.step)) return agentUpdateStep(deps, op);
  const healthSec = deps.healthTimeoutSec ?? 300;
  switch (op.step) {
    case "backup": {
      const r = await command(deps, op, AGENT_COMMANDS.backup, { keep: 3 }, COMMAND_TIMEOUT_MS.backup as number);
      if (!r.ok) return { finish: "failed", failedStep: "backup", message: `No backup, no update: ${r.message}` };
      const backup = backupResultSchema.parse(r.data);
      await deps.db.update(schema.instanceOperations).set({ backup: backup.path }).where(eq(schema.instanceOperations.id, op.id));
      return { next: "update" };
    }
    case "update": {
      const r = await command(deps, op, AGENT_COMMANDS.update, { version: op.toVersion }, COMMAND_TIMEOUT_MS.update as number);
      return r.ok ? { next: "health" } : { next: "rollback_check", message: `The update failed: ${r.message}` };
    }
    case "health": {
      const r = await health(deps, op, op.toVersion, healthSec);
      return r.ok ? { finish: "succeeded" } : { next: "restore", message: `${op.toVersion} did not become healthy: ${r.message}` };
    }
    case "rollback_check": {
      const r = await health(deps, op, op.fromVersion, Math.min(healthSec, 180));
      return r.ok ? { finish: "rolled_back", failedStep: "update" } : { next: "restore" };
    }
    case "restore": {
      if (!op.backup) return { finish: "failed", failedStep: "restore", message: "No backup is recorded for this change." };
      const version = op.kind === "update" ? op.fromVersion : op.toVersion;
      const r = await command(deps, op, AGENT_COMMANDS.restore, { version, backup: op.backup }, COMMAND_TIMEOUT_MS.restore as number);
      return r.ok
        ? { next: "restore_health" }
        : { finish: "failed", failedStep: "restore", message: `Restoring ${version} failed: ${r.message}` };
    }
    case "restore_health": {
      const version = op.kind === "update" ? op.fromVersion : op.toVersion;
      const r = await health(deps, op, version, healthSec);
      if (!r.ok) return { finish: "failed", failedStep: "restore_health", message: `${version} did not come back healthy: ${r.message}` };
      return op.kind === "update" ? { finish: "rolled_back", failedStep: "update" } : { finish: "succeeded" };
    }
    default:
      return { finish: "failed", message: `unknown step ${op.step}` };
  }
}

async function finish(deps: RunOperationDeps, op: Op, outcome: Extract<Outcome, { finish: string }>): Promise<void> {
  const message = outcome.message ?? op.message;
  const version = outcome.finish === "succeeded" ? op.toVersion : op.fromVersion;
  const agentUpdate = op.kind === "agent_update";
  const summary: Record<string, string> = agentUpdate
    ? agentUpdateSummary(op, message)
    : {
        succeeded: op.kind === "update" ? `Updated to OpenClaw ${op.toVersion}` : `Rolled back to OpenClaw ${op.toVersion}`,
        rolled_back:
          `The update to ${op.toVersion} failed and was rolled back: the instance runs ${op.fromVersion} again. ${message ?? ""}`.trim(),
        failed:
          op.kind === "update" && outcome.failedStep === "backup"
            ? (message ?? "The backup failed, so nothing was updated.")
            : `${op.kind === "update" ? "The update" : "The rollback"} failed and needs attention: ${message ?? "unknown reason"}`,
      };
  const [row] = await deps.db.transaction(async (tx) => {
    await tx
      .update(schema.instanceOperations)
      .set({ status: outcome.finish, step: "done", message: message ?? null, finishedAt: new Date() })
      .where(eq(schema.instanceOperations.id, op.id));
    if (outcome.finish !== "failed") {
      await tx
        .update(schema.instances)
        .set({ ...(agentUpdate ? { agentVersion: version } : { openclawVersion: version }), updatedAt: new Date() })
        .where(eq(schema.instances.id, op.instanceId));
    }
    await recordEvent(
      tx,
      op.instanceId,
      op.kind,
      outcome.finish === "succeeded" ? "ok" : "failed",
      (summary[outcome.finish] as string).slice(0, 1000),
    );
    // A rollout's ring may be complete now (or over its failure threshold): look at once.
    if (op.rolloutId) await deps.queue.enqueue(tx, "rollouts.advance", {}, { singletonKey: `advance:${op.rolloutId}` });
    return tx.select({ workspaceId: schema.instances.workspaceId }).from(schema.instances).where(eq(schema.instances.id, op.instanceId));
  });
  deps.log.info(
    { operationId: op.id, instanceId: op.instanceId, status: outcome.finish, step: outcome.failedStep },
    `instance ${op.kind} finished`,
  );
  // ALERTS("update failed" / "backup failed") and AUDIT attach to this hook (hooks.ts).
  await deps.hooks.emitFinished({
    operationId: op.id,
    instanceId: op.instanceId,
    workspaceId: row?.workspaceId ?? "",
    kind: op.kind as OperationKind,
    fromVersion: op.fromVersion,
    toVersion: op.toVersion,
    status: outcome.finish,
    failedStep: outcome.failedStep ?? null,
    message: message ?? null,
  });
}
