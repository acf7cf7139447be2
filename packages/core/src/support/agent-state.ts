// What the agent of an instance should hold right now: the active grant (key + hard expiry) or
// nothing. Sent on every connect and after every change, so a grant or revoke made while the
// agent was offline converges.
import type { Db } from "@clawcloud/db";
import { latestGrant } from "./latest-grant.ts";
import { isActive } from "./support-view.ts";

export interface AgentSupportState {
  grant: { id: string; publicKey: string; expiresAt: string } | null;
}

export async function agentSupportState(db: Db, instanceId: string): Promise<AgentSupportState> {
  const g = await latestGrant(db, instanceId);
  if (!g || !isActive(g)) return { grant: null };
  return { grant: { id: g.id, publicKey: g.publicKey, expiresAt: g.expiresAt.toISOString() } };
}
