// Which replica holds an instance's agent socket, so a chat opened on another replica is routed
// there. Set when the agent connects; cleared when it leaves (only by the replica that set it, so
// a late disconnect never erases a newer connection elsewhere).
import { and, type Db, eq, schema } from "@clawcloud/db";

export async function setAgentReplica(db: Db, instanceId: string, replicaId: string): Promise<void> {
  await db.update(schema.instances).set({ agentReplica: replicaId }).where(eq(schema.instances.id, instanceId));
}

export async function clearAgentReplica(db: Db, instanceId: string, replicaId: string): Promise<void> {
  await db
    .update(schema.instances)
    .set({ agentReplica: null })
    .where(and(eq(schema.instances.id, instanceId), eq(schema.instances.agentReplica, replicaId)));
}

export async function agentReplicaOf(db: Db, instanceId: string): Promise<string | null> {
  const [row] = await db
    .select({ replica: schema.instances.agentReplica })
    .from(schema.instances)
    .where(eq(schema.instances.id, instanceId))
    .limit(1);
  return row?.replica ?? null;
}
