// Progress the agent reports (bootstrap steps, lifecycle): shown on the instance's timeline. The
// bootstrap's own "failed" end fails the instance with its reason.
import { agentEventSchema } from "@clawcloud/contracts";
import { recordEvent } from "../instances/events.ts";
import { isSupportReport, recordSupportReport } from "../support/agent-report.ts";
import { parseInput } from "../validate.ts";
import { type BootstrapFailureDeps, failBootstrap } from "./bootstrap-failure.ts";

export async function recordAgentEvent(deps: BootstrapFailureDeps, instanceId: string, input: unknown): Promise<void> {
  const e = parseInput(agentEventSchema, input);
  if (isSupportReport(e.name)) return recordSupportReport(deps.db, instanceId, e.name, e.message);
  await recordEvent(deps.db, instanceId, `agent:${e.name}`, e.status, e.message);
  if (e.name === "bootstrap" && e.status === "failed") await failBootstrap(deps, instanceId, e.message);
}
