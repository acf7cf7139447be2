// Every minute: agents older than this server's bundle get an update, a batch at a time.
import type { Core } from "@clawcloud/core";

export function register(core: Core): Promise<void> {
  return core.jobs.work(
    "agents.update-sweep",
    async () => {
      await core.updates.sweepAgents();
    },
    { concurrency: 1 },
  );
}
