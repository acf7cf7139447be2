// "Revoke now": ends the active grant; the agent removes the key and closes tunnels as soon as it
// hears (at once while connected, else at its next connect — and at expiry by itself regardless).
import type { SupportAccess } from "@clawcloud/contracts";
import { and, eq, gt, isNull, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { findInstance } from "../instances/get-instance.ts";
import { recordSupportAudit } from "./audit.ts";
import type { SupportDeps } from "./deps.ts";
import { latestGrant } from "./latest-grant.ts";
import { accessView } from "./support-view.ts";

export async function revokeSupportAccess(deps: SupportDeps, actor: Actor, instanceId: string): Promise<SupportAccess> {
  await findInstance(deps.db, actor, instanceId);
  const access = await deps.db.transaction(async (tx) => {
    const g = schema.supportGrants;
    const now = new Date();
    const revoked = await tx
      .update(g)
      .set({ revokedAt: now, revokedBy: actor.userId })
      .where(and(eq(g.instanceId, instanceId), isNull(g.revokedAt), gt(g.expiresAt, now)))
      .returning({ id: g.id });
    for (const r of revoked) {
      await recordSupportAudit(tx, {
        action: "support.revoke",
        instanceId,
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        grantId: r.id,
        message: "Support access revoked",
      });
    }
    return accessView(await latestGrant(tx, instanceId));
  });
  // Also when nothing was active: re-sending the state lets a confused agent converge.
  deps.changed(instanceId);
  return access;
}
