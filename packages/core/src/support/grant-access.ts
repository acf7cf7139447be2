// "Grant support access": one active grant per instance at a time; the instance row is locked so
// two grants at once cannot both win. The agent gets it right after the commit (deps.changed) or at
// its next connect.
import { grantSupportAccessSchema, type SupportAccess } from "@clawcloud/contracts";
import { and, eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { AppError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { parseInput } from "../validate.ts";
import { recordSupportAudit } from "./audit.ts";
import type { SupportDeps } from "./deps.ts";
import { latestGrant } from "./latest-grant.ts";
import { accessView, isActive } from "./support-view.ts";

const GRANTABLE_STATES = new Set(["booting", "bootstrapping", "ready", "degraded", "unreachable"]);

export async function grantSupportAccess(deps: SupportDeps, actor: Actor, instanceId: string, input: unknown): Promise<SupportAccess> {
  const body = parseInput(grantSupportAccessSchema, input);
  const publicKey = deps.publicKey;
  const access = await deps.db.transaction(async (tx) => {
    const i = schema.instances;
    const [instance] = await tx
      .select({ id: i.id, state: i.state })
      .from(i)
      .where(and(eq(i.id, instanceId), eq(i.workspaceId, actor.workspaceId)))
      .for("update");
    if (!instance) throw notFound("This instance");
    if (!publicKey) {
      throw new AppError(
        "SUPPORT_UNAVAILABLE",
        "Support access is not set up on this Claw Cloud server (no support SSH key is configured).",
      );
    }
    if (!GRANTABLE_STATES.has(instance.state)) {
      throw new AppError("CONFLICT", "Support access can be granted once the server is running.");
    }
    const current = await latestGrant(tx, instanceId);
    if (current && isActive(current)) {
      throw new AppError("CONFLICT", `Support access is already granted until ${current.expiresAt.toISOString()}. Revoke it first.`);
    }
    const now = new Date();
    const [row] = await tx
      .insert(schema.supportGrants)
      .values({
        id: newId("supportGrant"),
        instanceId,
        workspaceId: actor.workspaceId,
        grantedBy: actor.userId,
        reason: body.reason,
        hours: body.hours,
        publicKey,
        createdAt: now,
        expiresAt: new Date(now.getTime() + body.hours * 3_600_000),
      })
      .returning();
    if (!row) throw new Error("insert returned no row");
    await recordSupportAudit(tx, {
      action: "support.grant",
      instanceId,
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      grantId: row.id,
      message: `Support access granted for ${body.hours} h, until ${row.expiresAt.toISOString()}`,
    });
    return accessView(row);
  });
  deps.changed(instanceId);
  return access;
}
