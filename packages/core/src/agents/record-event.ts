// Progress the agent reports (bootstrap steps, lifecycle): shown on the instance's timeline.
import { agentEventSchema } from "@clawcloud/contracts";
import type { Db } from "@clawcloud/db";
import { recordEvent } from "../instances/events.ts";
import { isSupportReport, recordSupportReport } from "../support/agent-report.ts";
import { parseInput } from "../validate.ts";

export async function recordAgentEvent(db: Db, instanceId: string, input: unknown): Promise<void> {
  const e = parseInput(agentEventSchema, input);
  if (isSupportReport(e.name)) return recordSupportReport(db, instanceId, e.name, e.message);
  await recordEvent(db, instanceId, `agent:${e.name}`, e.status, e.message);
}
