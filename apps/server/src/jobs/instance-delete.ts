// The delete finalizer: the instance's servers in the cloud account first, then its row.
import type { Core } from "@clawcloud/core";

export function register(core: Core, worker: string): Promise<void> {
  return core.jobs.work("instance.delete", (job) => core.provisioning.runDelete(job.data.instanceId, worker, job.data.keepRow ?? false), {
    concurrency: 4,
  });
}
