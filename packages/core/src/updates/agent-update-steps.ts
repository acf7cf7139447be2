// The steps of an agent's own update (run by run-operation.ts like OpenClaw's):
//   agent_update  the agent downloads this server's bundle, checks its sha256 and that it starts,
//                 answers `restarting`, then hands over to it on trial (the agent's self-update/).
//   agent_health  ask the same command again (a fresh id each time) until the agent answers
//                 `current` (the new bundle took over) or AGENT_UPDATE_FAILED (its trial failed and
//                 the old agent runs again: rolled back). While the agent restarts it is offline:
//                 ask again shortly, up to a deadline.
import { AGENT_SELF_UPDATE_COMMAND, agentUpdateResultSchema } from "@clawcloud/contracts";
import { recordEvent } from "../instances/events.ts";
import { AgentCommandError, isTransient } from "./agent-channel.ts";
import { command, type Op, type Outcome, type RunOperationDeps } from "./operation-step.ts";

export const AGENT_UPDATE_STEPS = new Set(["agent_update", "agent_health"]);
/** Download, trial and restart take well under a minute; an agent away longer than this has a problem. */
const DEADLINE_MS = 15 * 60_000;
const ASK_AGAIN_SEC = 5;

export async function agentUpdateStep(deps: RunOperationDeps, op: Op): Promise<Outcome> {
  const release = deps.agentRelease;
  if (!release || release.version !== op.toVersion) {
    return { finish: "failed", message: `This server no longer serves agent ${op.toVersion}; nothing was changed.` };
  }
  const overdue = Date.now() - op.createdAt.getTime() > DEADLINE_MS;
  const args = { version: release.version, sha256: release.sha256, operation: op.id };
  if (op.step === "agent_update") {
    if (overdue) return { finish: "failed", failedStep: "agent_update", message: "The agent did not answer for 15 minutes." };
    const r = await command(deps, op, AGENT_SELF_UPDATE_COMMAND, args, 5 * 60_000);
    if (!r.ok) return { finish: "failed", failedStep: "agent_update", message: r.message };
    const answer = agentUpdateResultSchema.parse(r.data);
    return answer.status === "current" ? { finish: "succeeded" } : { next: "agent_health" };
  }
  // agent_health: quiet polling (no timeline line per question), one line at the end.
  try {
    const data = await deps.agents.call(
      op.instanceId,
      { id: `${op.id}:health:${Date.now()}`, name: AGENT_SELF_UPDATE_COMMAND, args },
      60_000,
    );
    const answer = agentUpdateResultSchema.parse(data);
    if (answer.status === "current") {
      await recordEvent(deps.db, op.instanceId, "agent_health", "ok", `Agent ${answer.version} connected`);
      return { finish: "succeeded" };
    }
  } catch (err) {
    if (err instanceof AgentCommandError && err.code === "AGENT_UPDATE_FAILED") {
      await recordEvent(deps.db, op.instanceId, "agent_health", "failed", err.message.slice(0, 500));
      return { finish: "rolled_back", failedStep: "agent_health", message: err.message.slice(0, 500) };
    }
    if (!isTransient(err) && !(err instanceof AgentCommandError)) throw err;
    if (!isTransient(err)) return { finish: "failed", failedStep: "agent_health", message: (err as Error).message.slice(0, 500) };
  }
  if (overdue) {
    return { finish: "failed", failedStep: "agent_health", message: `Agent ${op.toVersion} did not report back within 15 minutes.` };
  }
  return { again: ASK_AGAIN_SEC };
}

export function agentUpdateSummary(op: Op, message: string | null): Record<string, string> {
  return {
    succeeded: `The agent updated itself to ${op.toVersion}`,
    rolled_back: `The new agent ${op.toVersion} did not take over, so agent ${op.fromVersion} runs again. ${message ?? ""}`.trim(),
    failed: `The agent update to ${op.toVersion} failed: ${message ?? "unknown reason"}`,
  };
}
