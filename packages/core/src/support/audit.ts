// Every support action is recorded in ONE place, in the same transaction as the action: today the
// instance timeline; the audit log (issue 7, built in parallel) is wired here too, so no support
// action can happen without its record.
import type { Db } from "@clawcloud/db";
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

export async function recordSupportAudit(tx: Pick<Db, "insert"> & Tx, intent: SupportAuditIntent): Promise<void> {
  await recordEvent(tx, intent.instanceId, TIMELINE_STEP[intent.action], "info", intent.message);
  // AUDIT LOG: insert the audit row for `intent` here, with this same `tx`.
}
