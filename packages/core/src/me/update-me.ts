import { type Me, type UpdateMe, updateMeSchema } from "@clawcloud/contracts";
import { type Db, eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { parseInput } from "../validate.ts";
import { getMe } from "./get-me.ts";

export async function updateMe(db: Db, actor: Actor, input: UpdateMe): Promise<Me> {
  const { name } = parseInput(updateMeSchema, input);
  await db.update(schema.users).set({ name, updatedAt: new Date() }).where(eq(schema.users.id, actor.userId));
  return getMe(db, actor);
}
