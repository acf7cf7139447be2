import { and, eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { byActor, recordAudit } from "../audit/record-audit.ts";
import type { CredentialDeps } from "./create-credential.ts";
import { findCredential } from "./find-credential.ts";

export async function deleteCredential(deps: Pick<CredentialDeps, "db">, actor: Actor, id: string): Promise<void> {
  const row = await findCredential(deps.db, actor, id);
  await deps.db.transaction(async (tx) => {
    await tx
      .delete(schema.cloudCredentials)
      .where(and(eq(schema.cloudCredentials.id, id), eq(schema.cloudCredentials.workspaceId, actor.workspaceId)));
    await recordAudit(tx, {
      ...byActor(actor),
      action: "credential.delete",
      target: { type: "credential", id },
      metadata: { provider: row.provider, label: row.label },
    });
  });
}
