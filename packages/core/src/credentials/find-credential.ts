import { and, type Db, eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { notFound } from "../errors.ts";

/** The credential row, if it belongs to the actor's workspace; otherwise NOT_FOUND (never 403). */
export async function findCredential(db: Db, actor: Pick<Actor, "workspaceId">, id: string) {
  const [row] = await db
    .select()
    .from(schema.cloudCredentials)
    .where(and(eq(schema.cloudCredentials.id, id), eq(schema.cloudCredentials.workspaceId, actor.workspaceId)))
    .limit(1);
  if (!row) throw notFound("This cloud account");
  return row;
}
