import type { Me } from "@clawcloud/contracts";
import { type Db, eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";

export async function getMe(db: Db, actor: Actor): Promise<Me> {
  const rows = await db
    .select({ id: schema.workspaces.id, name: schema.workspaces.name, slug: schema.workspaces.slug, role: schema.members.role })
    .from(schema.members)
    .innerJoin(schema.workspaces, eq(schema.workspaces.id, schema.members.organizationId))
    .where(eq(schema.members.userId, actor.userId))
    .orderBy(schema.members.createdAt);
  const workspaces = rows.map((r) => ({ ...r, role: r.role as Me["workspace"]["role"] }));
  const workspace = workspaces.find((w) => w.id === actor.workspaceId) ?? workspaces[0];
  if (!workspace) throw new Error("an actor always has a workspace");
  return {
    user: { ...actor.user, createdAt: actor.user.createdAt.toISOString() },
    workspace,
    workspaces,
  };
}
