// Every user has a personal workspace from sign-up on. Called from the sign-up hook and, as a
// safety net, whenever a signed-in user is found without any workspace.
import { type Db, eq, schema, sql } from "@clawcloud/db";
import { newId } from "../ids.ts";

export async function ensurePersonalWorkspace(db: Db, user: { id: string; name: string }): Promise<string> {
  return db.transaction(async (tx) => {
    // Serialise concurrent first requests of one user (PG); PGlite is one connection anyway.
    await tx.execute(sqlLockUser(user.id));
    const [existing] = await tx
      .select({ id: schema.members.organizationId })
      .from(schema.members)
      .where(eq(schema.members.userId, user.id))
      .orderBy(schema.members.createdAt)
      .limit(1);
    if (existing) return existing.id;
    const workspaceId = newId("workspace");
    await tx.insert(schema.workspaces).values({
      id: workspaceId,
      name: `${user.name.slice(0, 60)}'s workspace`,
      slug: workspaceId.replace("_", "-"),
    });
    await tx.insert(schema.members).values({ id: newId("member"), organizationId: workspaceId, userId: user.id, role: "owner" });
    return workspaceId;
  });
}

const sqlLockUser = (userId: string) => sql`select pg_advisory_xact_lock(hashtext(${userId}))`;
