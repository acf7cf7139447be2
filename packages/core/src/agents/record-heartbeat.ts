// A heartbeat updates the instance's health; the first healthy one after bootstrap makes the
// instance `ready`. Heartbeats carry versions and machine figures only — never chat or secrets.
import { type Heartbeat, heartbeatSchema } from "@clawcloud/contracts";
import { and, type Db, eq, inArray, schema } from "@clawcloud/db";
import { recordAudit } from "../audit/record-audit.ts";
import { recordEvent } from "../instances/events.ts";
import { parseInput } from "../validate.ts";

export async function recordHeartbeat(db: Db, instanceId: string, input: unknown): Promise<{ becameReady: boolean }> {
  const hb: Heartbeat = parseInput(heartbeatSchema, input);
  const i = schema.instances;
  const health = { gateway: hb.gateway, cpu: hb.cpu, memory: hb.memory, disk: hb.disk, uptimeSec: hb.uptimeSec };
  const common = {
    lastHeartbeatAt: new Date(),
    agentVersion: hb.agentVersion,
    runningOpenclawVersion: hb.openclawVersion,
    health,
    updatedAt: new Date(),
  };
  if (!hb.gateway.ready) {
    await db.update(i).set(common).where(eq(i.id, instanceId));
    return { becameReady: false };
  }
  return db.transaction(async (tx) => {
    const [ready] = await tx
      .update(i)
      .set({ ...common, state: "ready", step: "ready", stateMessage: null, readyAt: new Date() })
      .where(and(eq(i.id, instanceId), inArray(i.state, ["bootstrapping", "booting", "creating", "unreachable"])))
      .returning({ id: i.id });
    if (ready) {
      await recordEvent(tx, instanceId, "ready", "ok", hb.openclawVersion ? `OpenClaw ${hb.openclawVersion} is ready` : "Ready");
      await forgetCredentialIfAsked(tx, instanceId);
      return { becameReady: true };
    }
    await tx.update(i).set(common).where(eq(i.id, instanceId));
    return { becameReady: false };
  });
}

/**
 * "Delete after provisioning": once the server is up, the cloud credential it was made with is
 * deleted, so Claw Cloud holds no access to the account at all. Deleting the instance then
 * leaves the server to the user, which the timeline says.
 */
async function forgetCredentialIfAsked(tx: Pick<Db, "select" | "delete" | "insert" | "execute">, instanceId: string): Promise<void> {
  const [row] = await tx
    .select({
      credentialId: schema.cloudCredentials.id,
      workspaceId: schema.instances.workspaceId,
      provider: schema.cloudCredentials.provider,
    })
    .from(schema.instances)
    .innerJoin(schema.cloudCredentials, eq(schema.cloudCredentials.id, schema.instances.credentialId))
    .where(and(eq(schema.instances.id, instanceId), eq(schema.cloudCredentials.deleteAfterProvisioning, true)));
  if (!row) return;
  await tx.delete(schema.cloudCredentials).where(eq(schema.cloudCredentials.id, row.credentialId));
  await recordAudit(tx, {
    action: "credential.delete",
    workspaceId: row.workspaceId,
    actor: { type: "system", id: "delete-after-provisioning" },
    target: { type: "credential", id: row.credentialId },
    metadata: { provider: row.provider, reason: "deleted after provisioning, as asked", instanceId },
  });
  await recordEvent(
    tx,
    instanceId,
    "credential_deleted",
    "info",
    "The cloud account's token was deleted after provisioning, as you asked. To remove this server later, delete it in your cloud account.",
  );
}
