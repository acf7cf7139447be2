import type { CredentialSummary } from "@clawcloud/contracts";
import { type Db, desc, eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";

export async function listCredentials(db: Db, actor: Actor): Promise<{ items: CredentialSummary[] }> {
  const rows = await db
    .select({
      id: schema.cloudCredentials.id,
      provider: schema.cloudCredentials.provider,
      label: schema.cloudCredentials.label,
      last4: schema.cloudCredentials.last4,
      createdAt: schema.cloudCredentials.createdAt,
    })
    .from(schema.cloudCredentials)
    .where(eq(schema.cloudCredentials.workspaceId, actor.workspaceId))
    .orderBy(desc(schema.cloudCredentials.createdAt))
    .limit(500);
  return {
    items: rows.map((r) => ({ ...r, provider: r.provider as CredentialSummary["provider"], createdAt: r.createdAt.toISOString() })),
  };
}
