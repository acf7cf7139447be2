// Every 15 minutes: OpenClaw's newest version per channel from the npm
// registry, with release notes. An unreachable registry leaves the last known answer, dated.
import type { Core } from "@clawcloud/core";

export function register(core: Core): Promise<void> {
  return core.jobs.work("openclaw.versions", async () => {
    await core.updates.refreshVersions();
  });
}
