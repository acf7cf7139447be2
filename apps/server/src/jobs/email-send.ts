// Delivers one e-mail. A failure throws, and the queue retries with backoff (queue/jobs.ts).
import type { Core } from "@clawcloud/core";

export function register(core: Core): Promise<void> {
  return core.jobs.work("email.send", async (job) => {
    await core.mail.deliver(job.data);
  });
}
