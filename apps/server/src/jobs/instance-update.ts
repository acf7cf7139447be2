// Runs one OpenClaw update of one instance through its agent: backup → update → health, with an
// automatic rollback on failure (packages/core/src/updates/run-operation.ts).
import type { Core } from "@clawcloud/core";

export function register(core: Core, worker: string): Promise<void> {
  return core.jobs.work("instance.update", (job) => core.updates.run(job.data.operationId, worker), { concurrency: 8 });
}
