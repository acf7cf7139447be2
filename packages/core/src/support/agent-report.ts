// What the agent reports about support access, as `support-*` events: a support login seen in
// sshd's log, and the key removed at expiry (by the agent's own clock, possibly while offline).
import { and, type Db, eq, isNull, schema } from "@clawcloud/db";
import { recordSupportAudit } from "./audit.ts";

export const SUPPORT_LOGIN_EVENT = "support-login";
export const SUPPORT_EXPIRED_EVENT = "support-expired";

export function isSupportReport(name: string): boolean {
  return name === SUPPORT_LOGIN_EVENT || name === SUPPORT_EXPIRED_EVENT;
}

export async function recordSupportReport(db: Db, instanceId: string, name: string, message: string | undefined): Promise<void> {
  const [instance] = await db
    .select({ workspaceId: schema.instances.workspaceId })
    .from(schema.instances)
    .where(eq(schema.instances.id, instanceId));
  if (!instance) return;
  const base = { instanceId, workspaceId: instance.workspaceId, actorUserId: null };
  await db.transaction(async (tx) => {
    if (name === SUPPORT_LOGIN_EVENT) {
      await recordSupportAudit(tx, {
        ...base,
        action: "support.login",
        grantId: null,
        message: `Support login: ${message ?? "(no details)"}`,
      });
      return;
    }
    // Expiry: the message is the grant id; recorded once per grant, never for a revoked one.
    const g = schema.supportGrants;
    const [expired] = await tx
      .update(g)
      .set({ expiryRecordedAt: new Date() })
      .where(and(eq(g.id, message ?? ""), eq(g.instanceId, instanceId), isNull(g.expiryRecordedAt), isNull(g.revokedAt)))
      .returning({ id: g.id });
    if (expired) {
      await recordSupportAudit(tx, {
        ...base,
        action: "support.expire",
        grantId: expired.id,
        message: "Support access expired: the agent removed the key",
      });
    }
  });
}
