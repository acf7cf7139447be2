// An agent proves it runs on the instance with the one-time token from the user-data, and gets
// a long-lived credential in exchange. The token is spent by that exchange: a replay, an
// expired token or a token for another instance is refused (and logged, without the token).
import { type RegisterRequest, type RegisterResponse, registerRequestSchema } from "@clawcloud/contracts";
import { and, type Db, eq, isNull, schema, sql } from "@clawcloud/db";
import { AppError } from "../errors.ts";
import { newId } from "../ids.ts";
import { recordEvent } from "../instances/events.ts";
import type { Logger } from "../logger.ts";
import { parseInput } from "../validate.ts";
import { type BootstrapFailureDeps, failBootstrap } from "./bootstrap-failure.ts";
import { hashToken, newSecretToken, tokenMatches } from "./registration-token.ts";

export const HEARTBEAT_INTERVAL_SEC = 15;

const refused = () => new AppError("UNAUTHENTICATED", "Registration refused: the token is invalid, expired or already used.");

export const TOKEN_EXPIRED =
  "The server's agent called back after its registration token had expired (30 minutes after the server was created): the server took too long to set up. Retry the deploy; if it happens again, choose a larger size or check the mirrors.";

type InstanceRow = typeof schema.instances.$inferSelect;

/** Why a registration token is not accepted for this instance now, or undefined when it is. */
export function registrationRefusal(row: InstanceRow | undefined, token: string): string | undefined {
  return !row
    ? "unknown instance"
    : row.registeredAt
      ? "token already used"
      : row.state === "failed" || row.state === "deleting"
        ? `instance is ${row.state}`
        : !row.registrationExpiresAt || row.registrationExpiresAt.getTime() < Date.now()
          ? "token expired"
          : !tokenMatches(token, row.registrationTokenHash)
            ? "token does not match"
            : undefined;
}

export async function registerAgent(deps: BootstrapFailureDeps & { log: Logger }, input: unknown): Promise<RegisterResponse> {
  const body: RegisterRequest = parseInput(registerRequestSchema, input);
  const i = schema.instances;
  const [row] = await deps.db.select().from(i).where(eq(i.id, body.instanceId)).limit(1);
  const why = registrationRefusal(row, body.token);
  if (!row || why) {
    deps.log.warn({ instanceId: body.instanceId, reason: why }, "agent registration refused");
    // The right token, too late: the server will never get in, so say so now rather than at the
    // provisioning time-out (which may be much later, or already past while a worker was down).
    if (row && why === "token expired" && tokenMatches(body.token, row.registrationTokenHash)) {
      await failBootstrap(deps, row.id, undefined, TOKEN_EXPIRED);
    }
    throw refused();
  }
  const credential = newSecretToken();
  const spent = await deps.db.transaction(async (tx) => {
    // Spend the token atomically: of two concurrent registrations, one wins.
    const [won] = await tx
      .update(i)
      .set({
        registeredAt: new Date(),
        registrationTokenHash: null,
        agentPublicKey: body.publicKey,
        agentVersion: body.agentVersion,
        // The agent calling proves the server booted; OpenClaw's install and start follow.
        state: sql`case when ${i.state} in ('pending', 'creating', 'booting') then 'bootstrapping' else ${i.state} end`,
        updatedAt: new Date(),
      })
      .where(and(eq(i.id, row.id), isNull(i.registeredAt)))
      .returning({ id: i.id });
    if (!won) return false;
    await tx
      .insert(schema.agentCredentials)
      .values({ id: newId("agentCredential"), instanceId: row.id, secretHash: hashToken(credential) });
    await recordEvent(tx, row.id, "booting", "ok");
    await recordEvent(tx, row.id, "agent_registered", "ok", `Agent ${body.agentVersion} registered`);
    return true;
  });
  if (!spent) {
    deps.log.warn({ instanceId: body.instanceId, reason: "token already used" }, "agent registration refused");
    throw refused();
  }
  return { credential, heartbeatIntervalSec: HEARTBEAT_INTERVAL_SEC };
}

/** The instance an agent credential belongs to, or undefined when unknown or revoked. */
export async function authenticateAgent(db: Db, credential: string): Promise<string | undefined> {
  const c = schema.agentCredentials;
  const [row] = await db
    .select({ instanceId: c.instanceId })
    .from(c)
    .where(and(eq(c.secretHash, hashToken(credential)), isNull(c.revokedAt)))
    .limit(1);
  return row?.instanceId;
}
