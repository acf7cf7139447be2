import type { Me } from "@clawcloud/contracts";
import { type Db, eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";

export async function getMe(db: Db, actor: Actor): Promise<Me> {
  // The user row, not the session's copy: that is cached in a signed cookie for a minute.
  const [user] = await db
    .select({
      id: schema.users.id,
      name: schema.users.name,
      email: schema.users.email,
      emailVerified: schema.users.emailVerified,
      createdAt: schema.users.createdAt,
    })
    .from(schema.users)
    .where(eq(schema.users.id, actor.userId));
  if (!user) throw new Error("an actor's user exists");
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
    user: { ...user, createdAt: user.createdAt.toISOString() },
    workspace,
    workspaces,
  };
}
