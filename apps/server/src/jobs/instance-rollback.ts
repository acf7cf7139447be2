// Runs one rollback of one instance: reinstall the previous version, restore its backup, health.
import type { Core } from "@clawcloud/core";

export function register(core: Core, worker: string): Promise<void> {
  return core.jobs.work("instance.rollback", (job) => core.updates.run(job.data.operationId, worker), { concurrency: 4 });
}
