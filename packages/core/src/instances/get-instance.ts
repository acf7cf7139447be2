import type { Instance } from "@clawcloud/contracts";
import { and, asc, type Db, eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { notFound } from "../errors.ts";
import { instanceView } from "./instance-view.ts";

/** The instance row if it is in the actor's workspace; NOT_FOUND otherwise (never 403). */
export async function findInstance(db: Db, actor: Actor, id: string) {
  const [row] = await db
    .select()
    .from(schema.instances)
    .where(and(eq(schema.instances.id, id), eq(schema.instances.workspaceId, actor.workspaceId)))
    .limit(1);
  if (!row) throw notFound("This instance");
  return row;
}

export async function getInstance(db: Db, actor: Actor, id: string): Promise<Instance> {
  const row = await findInstance(db, actor, id);
  const events = await db
    .select()
    .from(schema.instanceEvents)
    .where(eq(schema.instanceEvents.instanceId, id))
    .orderBy(asc(schema.instanceEvents.at), asc(schema.instanceEvents.id))
    .limit(200);
  return instanceView(row, events);
}
