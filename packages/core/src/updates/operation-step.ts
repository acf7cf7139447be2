// What every step of an instance operation shares (run-operation.ts runs them; the agent's own
// update has its steps in agent-update-steps.ts): the dependencies, a step's outcome, and an agent
// command recorded on the instance timeline.
import type { Db, schema } from "@clawcloud/db";
import { recordEvent } from "../instances/events.ts";
import type { Logger } from "../logger.ts";
import type { Queue } from "../queue/queue.ts";
import { type AgentChannel, AgentCommandError, isTransient } from "./agent-channel.ts";
import type { UpdateHooks } from "./hooks.ts";

export interface RunOperationDeps {
  db: Db;
  queue: Queue;
  hooks: UpdateHooks;
  agents: AgentChannel;
  log: Logger;
  /** Seconds the gateway gets to become healthy after a change (default 300). */
  healthTimeoutSec?: number;
  /** This server's agent bundle, which agent updates move agents to. */
  agentRelease?: { version: string; sha256: string } | undefined;
}

export type Op = typeof schema.instanceOperations.$inferSelect;
export type Outcome =
  | { next: string; message?: string }
  /** The same step again later (an agent on its way back). */
  | { again: number }
  | { finish: "succeeded" | "rolled_back" | "failed"; message?: string; failedStep?: string };

const LABELS: Record<string, string> = {
  backup: "Verified backup",
  update: "OpenClaw's updater",
  health: "Health check",
  rollback_check: "Checking the updater's automatic rollback",
  restore: "Reinstalling the previous version and restoring the backup",
  restore_health: "Health check after the rollback",
  agent_update: "Downloading and checking the new agent bundle",
};

/**
 * Runs the step's agent command with the id `<operation>:<step>` (a resent command is answered from
 * the agent's memory) and records it on the timeline. A refusal comes back as `ok: false` with the
 * agent's message; a transient failure (the agent away) is thrown for the caller to retry later.
 */
export async function command(deps: RunOperationDeps, op: Op, name: string, args: Record<string, unknown>, timeoutMs: number) {
  await recordEvent(deps.db, op.instanceId, op.step, "start", LABELS[op.step]);
  try {
    const data = await deps.agents.call(op.instanceId, { id: `${op.id}:${op.step}`, name, args }, timeoutMs);
    await recordEvent(deps.db, op.instanceId, op.step, "ok");
    return { ok: true as const, data };
  } catch (err) {
    if (isTransient(err) || !(err instanceof AgentCommandError)) throw err;
    await recordEvent(deps.db, op.instanceId, op.step, "failed", err.message.slice(0, 500));
    return { ok: false as const, message: err.message.slice(0, 500) };
  }
}
