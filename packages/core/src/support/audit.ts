// Every support action is recorded in ONE place, in the same transaction as the action: on the
// instance's timeline and in the audit log, so no support action can happen without its record.
import type { Db } from "@clawcloud/db";
import { type AuditTx, recordAudit } from "../audit/record-audit.ts";
import { recordEvent } from "../instances/events.ts";
import type { Tx } from "../queue/queue.ts";

export type SupportAuditAction = "support.grant" | "support.revoke" | "support.expire" | "support.login" | "support.tunnel";

export interface SupportAuditIntent {
  action: SupportAuditAction;
  instanceId: string;
  workspaceId: string;
  /** The user who acted (grant, revoke, tunnel); null for the agent's reports (expiry, login). */
  actorUserId: string | null;
  grantId: string | null;
  /** A plain, secret-free sentence for the timeline. User text (the reason) is never in it. */
  message: string;
}

const TIMELINE_STEP: Record<SupportAuditAction, string> = {
  "support.grant": "support_granted",
  "support.revoke": "support_revoked",
  "support.expire": "support_expired",
  "support.login": "support_login",
  "support.tunnel": "support_tunnel",
};

export async function recordSupportAudit(tx: Pick<Db, "insert"> & Tx & AuditTx, intent: SupportAuditIntent): Promise<void> {
  await recordEvent(tx, intent.instanceId, TIMELINE_STEP[intent.action], "info", intent.message);
  await recordAudit(tx, {
    action: intent.action,
    workspaceId: intent.workspaceId,
    actor: intent.actorUserId ? { type: "user", id: intent.actorUserId } : { type: "system", id: "agent" },
    target: { type: "instance", id: intent.instanceId },
    metadata: { grantId: intent.grantId, summary: intent.message },
  });
}
