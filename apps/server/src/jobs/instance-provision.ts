// Runs one instance's provisioning state machine forward (packages/core/src/instances/provision.ts).
import type { Core } from "@clawcloud/core";

export function register(core: Core, worker: string): Promise<void> {
  return core.jobs.work("instance.provision", (job) => core.provisioning.run(job.data.instanceId, worker), { concurrency: 4 });
}
