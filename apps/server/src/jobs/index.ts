// Every job type's handler, one file each.
import type { Core } from "@clawcloud/core";
import * as emailSend from "./email-send.ts";

export async function registerJobs(core: Core): Promise<void> {
  for (const job of [emailSend]) await job.register(core);
}
