import { type Db, desc, eq, schema } from "@clawcloud/db";
import type { Tx } from "../queue/queue.ts";
import type { GrantRow } from "./support-view.ts";

/** The instance's most recent grant (active or not). */
export async function latestGrant(db: Pick<Db, "select"> & Tx, instanceId: string): Promise<GrantRow | undefined> {
  const g = schema.supportGrants;
  const [row] = await db.select().from(g).where(eq(g.instanceId, instanceId)).orderBy(desc(g.createdAt), desc(g.id)).limit(1);
  return row;
}
