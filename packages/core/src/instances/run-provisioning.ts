// Job glue: run one step of the state machine (or of the delete finalizer) and, when it says
// "again", schedule the next run. The lease makes a duplicate delivery harmless.

import { finalizeDelete } from "./delete-instance.ts";
import type { ProvisionDeps } from "./provision.ts";
import { advanceProvisioning } from "./provision.ts";

export async function runProvisioning(deps: ProvisionDeps, instanceId: string, worker: string): Promise<void> {
  for (;;) {
    const outcome = await advanceProvisioning(deps, instanceId, worker);
    if ("done" in outcome) return;
    if (outcome.again > 0) {
      await deps.queue.enqueue(deps.db, "instance.provision", { instanceId }, { startAfter: Math.ceil(outcome.again) });
      return;
    }
  }
}

export async function runDelete(deps: ProvisionDeps, instanceId: string, worker: string, keepRow: boolean): Promise<void> {
  const outcome = await finalizeDelete(deps, instanceId, worker, keepRow);
  if ("again" in outcome) {
    await deps.queue.enqueue(deps.db, "instance.delete", { instanceId, keepRow }, { startAfter: Math.ceil(outcome.again) });
  }
}
