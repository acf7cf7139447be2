// Who is calling, and in which workspace. Every service takes an Actor and scopes every read and
// write to actor.workspaceId; a resource of another workspace is simply not found.
import { and, type Db, eq, schema } from "@clawcloud/db";
import { ActorCache } from "./auth/actor-cache.ts";
import type { Auth } from "./auth/auth.ts";
import { AppError } from "./errors.ts";
import { ensurePersonalWorkspace } from "./workspaces/ensure-personal-workspace.ts";

export interface Actor {
  userId: string;
  sessionId: string;
  workspaceId: string;
  role: "owner" | "admin" | "member";
  /** Claw Cloud's own operators (CLAWCLOUD_STAFF_EMAILS): fleet rollouts, support tunnels. Never a
   * way into a customer's workspace data; staff routes check this and nothing else grants it. */
  isStaff: boolean;
  /** The client address of the request acting (set by transport; for the audit log). */
  ip?: string | null;
  user: { id: string; name: string; email: string; emailVerified: boolean; createdAt: Date };
}

export interface ActorDeps {
  db: Db;
  auth: Auth;
  cache: ActorCache;
  staffEmails: ReadonlySet<string>;
}

export async function resolveActor(deps: ActorDeps, headers: Headers): Promise<Actor> {
  const key = ActorCache.key(headers);
  const cached = deps.cache.get(key);
  if (cached) return cached;
  const actor = await lookUpActor(deps, headers);
  deps.cache.set(key, actor);
  return actor;
}

async function lookUpActor(deps: Omit<ActorDeps, "cache">, headers: Headers): Promise<Actor> {
  const found = await deps.auth.api.getSession({ headers });
  if (!found) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  const { user, session } = found;
  const active = session.activeOrganizationId;
  const [membership] = await deps.db
    .select({ workspaceId: schema.members.organizationId, role: schema.members.role })
    .from(schema.members)
    .where(active ? and(eq(schema.members.userId, user.id), eq(schema.members.organizationId, active)) : eq(schema.members.userId, user.id))
    .orderBy(schema.members.createdAt)
    .limit(1);
  const workspaceId = membership?.workspaceId ?? (await ensurePersonalWorkspace(deps.db, user));
  return {
    userId: user.id,
    sessionId: session.id,
    workspaceId,
    role: (membership?.role as Actor["role"] | undefined) ?? "owner",
    // Only a verified address counts: otherwise anyone could sign up as a staff address.
    isStaff: user.emailVerified && deps.staffEmails.has(user.email.toLowerCase()),
    user: { id: user.id, name: user.name, email: user.email, emailVerified: user.emailVerified, createdAt: user.createdAt },
  };
}
