// Delete is a finalizer: the row turns `deleting` (with its job, in one transaction), the worker
// deletes the server — and whatever else carries the instance's tag, in case a lost create left
// one behind — and only then removes the row.
import type { Instance } from "@clawcloud/contracts";
import { eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { byActor, recordAudit } from "../audit/record-audit.ts";
import type { CredentialDeps } from "../credentials/create-credential.ts";
import { openDriver } from "../credentials/use-credential.ts";
import type { InstanceDeps } from "./create-instance.ts";
import { recordEvent } from "./events.ts";
import { findInstance, getInstance } from "./get-instance.ts";
import { releaseLease, takeLease } from "./lease.ts";
import type { ProvisionDeps, StepOutcome } from "./provision.ts";
import { backoffSeconds } from "./provision.ts";

export async function requestDelete(deps: InstanceDeps, actor: Actor, id: string): Promise<Instance> {
  const row = await findInstance(deps.db, actor, id);
  if (row.state !== "deleting") {
    await deps.db.transaction(async (tx) => {
      await tx
        .update(schema.instances)
        .set({ state: "deleting", step: "deleting", updatedAt: new Date() })
        .where(eq(schema.instances.id, id));
      await recordEvent(tx, id, "deleting", "start");
      await recordAudit(tx, {
        ...byActor(actor),
        action: "instance.delete",
        target: { type: "instance", id },
        metadata: { name: row.name },
      });
      await deps.queue.enqueue(tx, "instance.delete", { instanceId: id });
    });
  }
  return getInstance(deps.db, actor, id);
}

/** Removes the instance's servers; then the row, unless `keepRow` (a failed deploy's cleanup). */
export async function finalizeDelete(deps: ProvisionDeps, instanceId: string, worker: string, keepRow = false): Promise<StepOutcome> {
  const row = await takeLease(deps.db, instanceId, worker, deps.leaseSeconds ?? 120);
  if (!row) {
    const [exists] = await deps.db.select({ id: schema.instances.id }).from(schema.instances).where(eq(schema.instances.id, instanceId));
    return exists ? { again: 15 } : { done: true };
  }
  try {
    // A failed deploy's cleanup that arrives after the user pressed Retry must not touch the new attempt.
    if (keepRow && row.state !== "failed") return { done: true };
    const credentialGone = !row.credentialId || !(await credentialExists(deps, row.credentialId));
    if (row.provider === "local") {
      if (!deps.local) throw new Error("deleting an instance on this machine needs the process that runs the workers");
      await deps.local.driver.deleteServer(row.id);
    } else if (!credentialGone && row.credentialId) {
      const d = await openDriver(deps, { workspaceId: row.workspaceId }, row.credentialId, { markUsed: true });
      const tagged = await d.findServersByTag(row.id);
      const ids = new Set([...(row.serverId ? [row.serverId] : []), ...tagged.map((s) => s.id)]);
      for (const serverId of ids) await d.deleteServer(serverId);
    }
    if (keepRow) {
      await deps.db.transaction(async (tx) => {
        await tx.update(schema.instances).set({ serverId: null, updatedAt: new Date() }).where(eq(schema.instances.id, row.id));
        await recordEvent(tx, row.id, "cleanup", "ok", "Deleted the server of the failed deploy");
      });
    } else {
      await deps.db.delete(schema.instances).where(eq(schema.instances.id, row.id));
    }
    return { done: true };
  } catch (err) {
    const retryAfter = (err as { retryAfter?: number }).retryAfter;
    await deps.db
      .update(schema.instances)
      .set({ retries: row.retries + 1, stateMessage: `Deleting: ${(err as Error).message}`.slice(0, 500) })
      .where(eq(schema.instances.id, row.id));
    return { again: backoffSeconds(row.retries, deps.backoffBaseSec, retryAfter) };
  } finally {
    await releaseLease(deps.db, instanceId, worker);
  }
}

/** A credential deleted after provisioning (or by the user) leaves the server to the user. */
async function credentialExists(deps: Pick<CredentialDeps, "db">, id: string): Promise<boolean> {
  const [row] = await deps.db
    .select({ id: schema.cloudCredentials.id })
    .from(schema.cloudCredentials)
    .where(eq(schema.cloudCredentials.id, id));
  return !!row;
}
