// Every minute: fleet rollouts move on — a ring's updates start, a ring halts on failures, the
// next ring starts after the bake time.
import type { Core } from "@clawcloud/core";

export function register(core: Core): Promise<void> {
  return core.jobs.work(
    "rollouts.advance",
    async () => {
      await core.rollouts.advance();
    },
    { concurrency: 1 },
  );
}
