// Hourly: metric points older than the retention (7 days) are deleted, in batches.
import type { Core } from "@clawcloud/core";

export function register(core: Core): Promise<void> {
  return core.jobs.work("metrics.retention", async () => {
    await core.monitoring.deleteOldMetrics();
  });
}
