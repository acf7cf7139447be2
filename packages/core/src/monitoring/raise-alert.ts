// Raising an alert: incidents make it once per outage. `unreachable`/`degraded` open an incident
// (or find one open and stay quiet); `recovered` closes it and tells people; a failed update or
// backup is its own one-off alert (its job raises it once). Runs in the caller's transaction, so
// the incident, the timeline event and the delivery jobs commit together.
import { and, type Db, eq, isNull, schema, sql } from "@clawcloud/db";
import { newId } from "../ids.ts";
import type { Queue } from "../queue/queue.ts";
import type { Alert, AlertKind } from "./alert-message.ts";

type Tx = Pick<Db, "select" | "insert" | "update" | "execute">;

export interface RaiseAlertInput {
  instanceId: string;
  kind: AlertKind;
  /** Why, in words a person can act on. No secrets, no chat. */
  reason: string;
}

/**
 * Returns the alert if one goes out, undefined when deduplicated. Without a queue (tests of the
 * state machine alone) the incident is still recorded and nothing is sent.
 */
export async function raiseAlert(tx: Tx, queue: Queue | undefined, input: RaiseAlertInput): Promise<Alert | undefined> {
  const inc = schema.instanceIncidents;
  if (input.kind === "unreachable" || input.kind === "degraded") {
    const opened = await tx
      .insert(inc)
      .values({ id: newId("incident"), instanceId: input.instanceId, kind: input.kind, reason: input.reason })
      .onConflictDoNothing({ target: inc.instanceId, where: sql`${inc.closedAt} is null` })
      .returning({ id: inc.id });
    if (opened.length === 0) return undefined;
  } else if (input.kind === "recovered") {
    const closed = await tx
      .update(inc)
      .set({ closedAt: new Date() })
      .where(and(eq(inc.instanceId, input.instanceId), isNull(inc.closedAt)))
      .returning({ id: inc.id });
    if (closed.length === 0) return undefined;
  }
  const [instance] = await tx
    .select({ name: schema.instances.name, workspaceId: schema.instances.workspaceId })
    .from(schema.instances)
    .where(eq(schema.instances.id, input.instanceId));
  if (!instance) return undefined;
  const alert: Alert = {
    id: newId("alert"),
    kind: input.kind,
    instanceId: input.instanceId,
    instanceName: instance.name,
    reason: input.reason,
    at: new Date().toISOString(),
  };
  if (!queue) return alert;
  // Every member of the instance's workspace, with their channels (no settings row = e-mail on).
  const recipients = await tx
    .select({
      userId: schema.members.userId,
      emailEnabled: schema.alertSettings.emailEnabled,
      webhookUrl: schema.alertSettings.webhookUrl,
    })
    .from(schema.members)
    .leftJoin(schema.alertSettings, eq(schema.alertSettings.userId, schema.members.userId))
    .where(eq(schema.members.organizationId, instance.workspaceId));
  for (const r of recipients) {
    if (r.emailEnabled ?? true) await queue.enqueue(tx, "alert.deliver", { channel: "email", userId: r.userId, alert });
    if (r.webhookUrl) await queue.enqueue(tx, "alert.deliver", { channel: "webhook", userId: r.userId, alert });
  }
  return alert;
}
