// "Retry" on a failed deploy: the same instance goes back to the start of the state machine. A
// server the failed attempt left behind is found by its tag and adopted, not duplicated.
import type { Instance } from "@clawcloud/contracts";
import { eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { byActor, recordAudit } from "../audit/record-audit.ts";
import { AppError } from "../errors.ts";
import type { InstanceDeps } from "./create-instance.ts";
import { recordEvent } from "./events.ts";
import { findInstance, getInstance } from "./get-instance.ts";

export async function retryInstance(deps: InstanceDeps, actor: Actor, id: string): Promise<Instance> {
  const row = await findInstance(deps.db, actor, id);
  if (row.state !== "failed") throw new AppError("CONFLICT", `Only a failed deploy can be retried; this one is ${row.state}.`);
  await deps.db.transaction(async (tx) => {
    await tx
      .update(schema.instances)
      .set({ state: "pending", step: "pending", stateMessage: null, retries: 0, registrationExpiresAt: null, updatedAt: new Date() })
      .where(eq(schema.instances.id, id));
    await recordEvent(tx, id, "retry", "info", "Deploy retried");
    await recordAudit(tx, { ...byActor(actor), action: "instance.retry", target: { type: "instance", id }, metadata: { name: row.name } });
    await deps.queue.enqueue(tx, "instance.provision", { instanceId: id });
  });
  return getInstance(deps.db, actor, id);
}
