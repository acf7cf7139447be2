// Tunnel tickets: a staff member asks for one (session cookie), then hands it to the ssh
// ProxyCommand client, which opens the tunnel WebSocket with it. Single use, 60 s, kept hashed in
// this process's memory (the process that then pairs the tunnel with the agent's socket).
import { createHash, randomBytes } from "node:crypto";
import { SUPPORT_TUNNEL_PATH, type SupportTunnelTicket } from "@clawcloud/contracts";
import { type Db, eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { AppError, notFound } from "../errors.ts";
import { recordSupportAudit } from "./audit.ts";
import { latestGrant } from "./latest-grant.ts";
import { isActive } from "./support-view.ts";

const TICKET_TTL_MS = 60_000;
const MAX_TICKETS = 10_000;

interface Ticket {
  instanceId: string;
  userId: string;
  expiresAt: number;
}

export interface TunnelSession {
  instanceId: string;
  grantId: string;
  userId: string;
}

const hash = (ticket: string) => createHash("sha256").update(ticket).digest("base64url");

export class TunnelTickets {
  readonly #tickets = new Map<string, Ticket>();
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async issue(actor: Actor, instanceId: string): Promise<SupportTunnelTicket> {
    // Not staff: nothing here exists for you (404, as for another workspace's instance).
    if (!actor.isStaff) throw notFound("This instance");
    const [instance] = await this.#db.select({ id: schema.instances.id }).from(schema.instances).where(eq(schema.instances.id, instanceId));
    if (!instance) throw notFound("This instance");
    const grant = await latestGrant(this.#db, instanceId);
    if (!grant || !isActive(grant)) {
      throw new AppError("CONFLICT", "The owner of this instance has not granted support access (or it expired or was revoked).");
    }
    this.#sweep();
    const ticket = randomBytes(32).toString("base64url");
    this.#tickets.set(hash(ticket), { instanceId, userId: actor.userId, expiresAt: Date.now() + TICKET_TTL_MS });
    return { ticket, expiresInSec: TICKET_TTL_MS / 1000, path: SUPPORT_TUNNEL_PATH };
  }

  /** Spends a ticket: the tunnel session it opens, if the grant is still active. */
  async redeem(ticket: string): Promise<TunnelSession> {
    const key = hash(ticket);
    const t = this.#tickets.get(key);
    this.#tickets.delete(key);
    if (!t || t.expiresAt <= Date.now())
      throw new AppError("UNAUTHENTICATED", "This tunnel ticket is unknown, used or expired. Ask for a new one.");
    const [instance] = await this.#db
      .select({ workspaceId: schema.instances.workspaceId })
      .from(schema.instances)
      .where(eq(schema.instances.id, t.instanceId));
    const grant = await latestGrant(this.#db, t.instanceId);
    if (!instance || !grant || !isActive(grant)) throw new AppError("CONFLICT", "Support access to this instance has ended.");
    await this.#db.transaction((tx) =>
      recordSupportAudit(tx, {
        action: "support.tunnel",
        instanceId: t.instanceId,
        workspaceId: instance.workspaceId,
        actorUserId: t.userId,
        grantId: grant.id,
        message: "Support requested an SSH tunnel",
      }),
    );
    return { instanceId: t.instanceId, grantId: grant.id, userId: t.userId };
  }

  #sweep(): void {
    const now = Date.now();
    for (const [k, t] of this.#tickets) if (t.expiresAt <= now) this.#tickets.delete(k);
    if (this.#tickets.size >= MAX_TICKETS) throw new AppError("RATE_LIMITED", "Too many open tunnel tickets; try again in a minute.");
  }
}
