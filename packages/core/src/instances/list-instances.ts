import type { InstanceSummary } from "@clawcloud/contracts";
import { type Db, desc, eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";

export async function listInstances(db: Db, actor: Actor): Promise<{ items: InstanceSummary[] }> {
  const rows = await db
    .select({
      id: schema.instances.id,
      name: schema.instances.name,
      provider: schema.instances.provider,
      state: schema.instances.state,
      createdAt: schema.instances.createdAt,
    })
    .from(schema.instances)
    .where(eq(schema.instances.workspaceId, actor.workspaceId))
    .orderBy(desc(schema.instances.createdAt))
    .limit(500);
  return { items: rows.map((r) => ({ ...r, state: r.state as InstanceSummary["state"], createdAt: r.createdAt.toISOString() })) };
}
