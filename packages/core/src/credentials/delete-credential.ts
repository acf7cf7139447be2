import { and, eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import type { CredentialDeps } from "./create-credential.ts";
import { findCredential } from "./find-credential.ts";

export async function deleteCredential(deps: Pick<CredentialDeps, "db">, actor: Actor, id: string): Promise<void> {
  await findCredential(deps.db, actor, id);
  await deps.db
    .delete(schema.cloudCredentials)
    .where(and(eq(schema.cloudCredentials.id, id), eq(schema.cloudCredentials.workspaceId, actor.workspaceId)));
}
