import type { SupportAccess, SupportGrant } from "@clawcloud/contracts";
import type { schema } from "@clawcloud/db";

export type GrantRow = typeof schema.supportGrants.$inferSelect;

export const isActive = (g: GrantRow, now = Date.now()) => g.revokedAt === null && g.expiresAt.getTime() > now;

export function grantView(g: GrantRow): SupportGrant {
  return {
    id: g.id,
    instanceId: g.instanceId,
    hours: g.hours,
    reason: g.reason,
    grantedBy: g.grantedBy,
    createdAt: g.createdAt.toISOString(),
    expiresAt: g.expiresAt.toISOString(),
    revokedAt: g.revokedAt?.toISOString() ?? null,
  };
}

export function accessView(latest: GrantRow | undefined): SupportAccess {
  return { active: latest !== undefined && isActive(latest), grant: latest ? grantView(latest) : null };
}
