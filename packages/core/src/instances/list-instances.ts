import type { InstanceSummary } from "@clawcloud/contracts";
import { type Db, desc, eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { instanceSummary } from "./instance-view.ts";

export async function listInstances(db: Db, actor: Actor): Promise<{ items: InstanceSummary[] }> {
  const rows = await db
    .select()
    .from(schema.instances)
    .where(eq(schema.instances.workspaceId, actor.workspaceId))
    .orderBy(desc(schema.instances.createdAt))
    .limit(500);
  return { items: rows.map(instanceSummary) };
}
