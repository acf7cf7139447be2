// Runs one agent self-update of one instance: the agent stages this server's bundle, hands over to
// it on trial, and reports back (packages/core/src/updates/agent-update-steps.ts).
import type { Core } from "@clawcloud/core";

export function register(core: Core, worker: string): Promise<void> {
  return core.jobs.work("instance.agent-update", (job) => core.updates.run(job.data.operationId, worker), { concurrency: 8 });
}
