// Delivers one alert to one user over one channel. A failure throws, and the queue retries with
// backoff (queue/jobs.ts); the alert's incident was recorded when it was raised, so a retry never
// raises it again.
import type { Core } from "@clawcloud/core";

export function register(core: Core): Promise<void> {
  return core.jobs.work("alert.deliver", async (job) => {
    await core.monitoring.deliverAlert(job.data);
  });
}
