// Every minute: instances whose agent stopped heartbeating become `unreachable`.
import type { Core } from "@clawcloud/core";

export function register(core: Core): Promise<void> {
  return core.jobs.work("instances.check-heartbeats", async () => {
    await core.provisioning.markUnreachable();
  });
}
