// One worker at a time per instance: a duplicate delivery of the same job, or a second worker,
// finds the lease held and backs off. A crashed holder's lease simply runs out.
import { and, type Db, eq, isNull, lt, or, schema, sql } from "@clawcloud/db";

export async function takeLease(db: Db, instanceId: string, owner: string, seconds: number) {
  const i = schema.instances;
  const [row] = await db
    .update(i)
    .set({ leaseOwner: owner, leaseUntil: sql`now() + make_interval(secs => ${seconds})` })
    .where(and(eq(i.id, instanceId), or(isNull(i.leaseUntil), lt(i.leaseUntil, sql`now()`), eq(i.leaseOwner, owner))))
    .returning();
  return row;
}

export async function releaseLease(db: Db, instanceId: string, owner: string): Promise<void> {
  const i = schema.instances;
  await db
    .update(i)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(and(eq(i.id, instanceId), eq(i.leaseOwner, owner)));
}
