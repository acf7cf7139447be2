// Sign-up, sign-in (success and failure) and sign-out. better-auth runs these in its own
// transactions, so their audit row is written right after, by the auth gate, from the outcome.
// A failed sign-in to an unknown address is recorded without the address (people type passwords
// into the e-mail field) and without a workspace; one to a real account goes to its workspace.
import { asc, type Db, eq, schema } from "@clawcloud/db";
import { recordAudit } from "./record-audit.ts";

export interface AuthEvent {
  action: "auth.sign_up" | "auth.sign_in" | "auth.sign_in_failed" | "auth.sign_out";
  /** The account, when known (from the response or the session). */
  userId?: string | undefined;
  /** For a failed sign-in: the address tried, looked up to find the account. */
  email?: string | undefined;
  ip: string | null;
}

export async function recordAuthEvent(db: Db, e: AuthEvent): Promise<void> {
  let userId = e.userId;
  if (!userId && e.email) {
    const [u] = await db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, e.email.toLowerCase()));
    userId = u?.id;
  }
  let workspaceId: string | null = null;
  if (userId) {
    const [m] = await db
      .select({ workspaceId: schema.members.organizationId })
      .from(schema.members)
      .where(eq(schema.members.userId, userId))
      .orderBy(asc(schema.members.createdAt))
      .limit(1);
    workspaceId = m?.workspaceId ?? null;
  }
  await db.transaction((tx) =>
    recordAudit(tx, {
      action: e.action,
      workspaceId,
      actor: userId ? { type: "user", id: userId } : { type: "system" },
      target: userId ? { type: "user", id: userId } : undefined,
      metadata: e.action === "auth.sign_in_failed" && !userId ? { account: "unknown" } : {},
      ip: e.ip,
    }),
  );
}
