// Every 15 minutes, and at a worker's start when nothing is known yet: OpenClaw's newest version
// per channel from the npm registry. An unreachable registry leaves the last known answer, dated.
import type { Core } from "@clawcloud/core";

export async function register(core: Core): Promise<void> {
  await core.jobs.work("openclaw.versions", async () => {
    await core.updates.refreshVersions();
  });
  await core.updates.refreshIfNeverFetched();
}
