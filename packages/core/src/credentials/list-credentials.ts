import type { CredentialSummary } from "@clawcloud/contracts";
import { type Db, desc, eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { credentialView } from "./credential-view.ts";

export async function listCredentials(db: Db, actor: Actor): Promise<{ items: CredentialSummary[] }> {
  const rows = await db
    .select()
    .from(schema.cloudCredentials)
    .where(eq(schema.cloudCredentials.workspaceId, actor.workspaceId))
    .orderBy(desc(schema.cloudCredentials.createdAt))
    .limit(500);
  return { items: rows.map(credentialView) };
}
