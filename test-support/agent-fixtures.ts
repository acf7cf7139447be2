// Instances whose agent is already registered, inserted straight into the database (for load
// tests that need thousands of agent sockets: registering each through the one-time token would
// measure registration, not the relay). The credential is stored as registration stores it: its
// SHA-256 hash only.
import { type Db, eq, schema } from "@clawcloud/db";
import { hashToken, newSecretToken } from "../packages/core/src/agents/registration-token.ts";
import { newId } from "../packages/core/src/ids.ts";

export interface RegisteredInstance {
  instanceId: string;
  workspaceId: string;
  /** The bearer credential the agent presents on /api/agent/v1/connect. */
  credential: string;
}

/** The workspace a signed-up user belongs to (sign-up creates exactly one). */
export async function workspaceOfUser(db: Db, email: string): Promise<string> {
  const [row] = await db
    .select({ workspaceId: schema.members.organizationId })
    .from(schema.members)
    .innerJoin(schema.users, eq(schema.users.id, schema.members.userId))
    .where(eq(schema.users.email, email))
    .limit(1);
  if (!row) throw new Error(`no workspace for ${email}`);
  return row.workspaceId;
}

/** Inserts `count` ready instances in the workspace, each with a live agent credential. */
export async function insertRegisteredInstances(db: Db, workspaceId: string, count: number, batch = 500): Promise<RegisteredInstance[]> {
  const out: RegisteredInstance[] = [];
  for (let start = 0; start < count; start += batch) {
    const rows = Array.from({ length: Math.min(batch, count - start) }, () => ({
      instanceId: newId("instance"),
      workspaceId,
      credential: newSecretToken(),
    }));
    const now = new Date();
    await db.transaction(async (tx) => {
      await tx.insert(schema.instances).values(
        rows.map((r, i) => ({
          id: r.instanceId,
          workspaceId,
          name: `bench-${start + i}`,
          provider: "digitalocean",
          // Ready, with no heartbeat recorded yet: the unreachable sweep only flips instances whose
          // last heartbeat is old, so a load test's idle doubles are left alone.
          state: "ready",
          step: "ready",
          readyAt: now,
          registeredAt: now,
          agentVersion: "bench",
        })),
      );
      await tx
        .insert(schema.agentCredentials)
        .values(rows.map((r) => ({ id: newId("agentCredential"), instanceId: r.instanceId, secretHash: hashToken(r.credential) })));
    });
    out.push(...rows);
  }
  return out;
}
