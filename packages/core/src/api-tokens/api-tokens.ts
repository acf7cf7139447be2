// Personal API tokens for the OpenAI-compatible endpoint. A token is 32 random bytes shown once;
// the database keeps its SHA-256 (a fast hash is right for 256 bits of randomness), a short
// prefix to tell tokens apart, and when it was last used. A token acts as its user in the
// workspace it was created in, as long as the user is still a member there.
import { createHash, randomBytes } from "node:crypto";
import { API_TOKEN_PREFIX, type ApiToken, createApiTokenSchema } from "@clawcloud/contracts";
import { and, type Db, desc, eq, isNull, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { AppError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { parseInput } from "../validate.ts";

const MAX_TOKENS_PER_USER = 50;
const hash = (token: string) => createHash("sha256").update(token).digest("hex");

type Row = typeof schema.apiTokens.$inferSelect;

function view(r: Row): ApiToken {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    expiresAt: r.expiresAt?.toISOString() ?? null,
  };
}

const mine = (actor: Actor) =>
  and(eq(schema.apiTokens.userId, actor.userId), eq(schema.apiTokens.workspaceId, actor.workspaceId), isNull(schema.apiTokens.revokedAt));

export async function listApiTokens(db: Db, actor: Actor): Promise<ApiToken[]> {
  const rows = await db
    .select()
    .from(schema.apiTokens)
    .where(mine(actor))
    .orderBy(desc(schema.apiTokens.createdAt))
    .limit(MAX_TOKENS_PER_USER);
  return rows.map(view);
}

export async function createApiToken(db: Db, actor: Actor, input: unknown): Promise<ApiToken & { token: string }> {
  const { name, expiresInDays } = parseInput(createApiTokenSchema, input);
  const existing = await db.$count(schema.apiTokens, mine(actor));
  if (existing >= MAX_TOKENS_PER_USER)
    throw new AppError("CONFLICT", `You have ${MAX_TOKENS_PER_USER} API tokens: revoke one you no longer use first.`);
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const [row] = await db
    .insert(schema.apiTokens)
    .values({
      id: newId("apiToken"),
      workspaceId: actor.workspaceId,
      userId: actor.userId,
      name,
      prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
      tokenHash: hash(token),
      expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null,
    })
    .returning();
  return { ...view(row as Row), token };
}

export async function revokeApiToken(db: Db, actor: Actor, id: string): Promise<void> {
  const rows = await db
    .update(schema.apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(schema.apiTokens.id, id), mine(actor)))
    .returning({ id: schema.apiTokens.id });
  if (rows.length === 0) throw notFound("This API token");
}

/** The actor a bearer token stands for; UNAUTHENTICATED for unknown, revoked or expired tokens. */
export async function authenticateApiToken(db: Db, token: string): Promise<Actor> {
  const refuse = () =>
    new AppError("UNAUTHENTICATED", "This API token is not valid: it may have been revoked or have expired. Create a new one in Settings.");
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 100) throw refuse();
  const [found] = await db
    .select({ token: schema.apiTokens, user: schema.users, role: schema.members.role })
    .from(schema.apiTokens)
    .innerJoin(schema.users, eq(schema.users.id, schema.apiTokens.userId))
    .innerJoin(
      schema.members,
      and(eq(schema.members.userId, schema.apiTokens.userId), eq(schema.members.organizationId, schema.apiTokens.workspaceId)),
    )
    .where(and(eq(schema.apiTokens.tokenHash, hash(token)), isNull(schema.apiTokens.revokedAt)))
    .limit(1);
  if (!found || (found.token.expiresAt && found.token.expiresAt.getTime() <= Date.now())) throw refuse();
  // Last use is a hint for the person, not an audit record: at most one write a minute per token.
  if (!found.token.lastUsedAt || Date.now() - found.token.lastUsedAt.getTime() > 60_000) {
    await db.update(schema.apiTokens).set({ lastUsedAt: new Date() }).where(eq(schema.apiTokens.id, found.token.id));
  }
  const { user } = found;
  return {
    userId: user.id,
    sessionId: found.token.id,
    workspaceId: found.token.workspaceId,
    role: found.role as Actor["role"],
    isStaff: false,
    user: { id: user.id, name: user.name, email: user.email, emailVerified: user.emailVerified, createdAt: user.createdAt },
  };
}
