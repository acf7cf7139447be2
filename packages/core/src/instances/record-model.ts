// What the agent reported after setting the model: the model's name, API kind and host, kept so
// the app can say which model is in use. The key itself never reaches the server in clear.
import type { Instance } from "@clawcloud/contracts";
import { and, type Db, eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { notFound } from "../errors.ts";

export async function recordModel(
  db: Db,
  actor: Actor,
  id: string,
  model: { model: string; api: string; host: string | null },
): Promise<NonNullable<Instance["model"]>> {
  const value = {
    model: model.model.slice(0, 200),
    api: model.api.slice(0, 64),
    host: model.host?.slice(0, 255) ?? null,
    setAt: new Date().toISOString(),
  };
  const rows = await db
    .update(schema.instances)
    .set({ model: value, updatedAt: new Date() })
    .where(and(eq(schema.instances.id, id), eq(schema.instances.workspaceId, actor.workspaceId)))
    .returning({ id: schema.instances.id });
  if (rows.length === 0) throw notFound("This instance");
  return value;
}
