// Every 10 minutes: delete servers tagged as ours that no live instance owns.
import type { Core } from "@clawcloud/core";

export function register(core: Core): Promise<void> {
  return core.jobs.work("instances.sweep", async () => {
    await core.provisioning.sweepOrphans();
  });
}
