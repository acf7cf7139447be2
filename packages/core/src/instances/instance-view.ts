import type { Instance, InstanceSummary } from "@clawcloud/contracts";
import type { schema } from "@clawcloud/db";

type Row = typeof schema.instances.$inferSelect;
type EventRow = typeof schema.instanceEvents.$inferSelect;

export function instanceSummary(r: Row): InstanceSummary {
  return {
    id: r.id,
    name: r.name,
    provider: r.provider as InstanceSummary["provider"],
    state: r.state as InstanceSummary["state"],
    createdAt: r.createdAt.toISOString(),
  };
}

export function instanceView(r: Row, events: EventRow[]): Instance {
  return {
    ...instanceSummary(r),
    credentialId: r.credentialId,
    region: r.region,
    size: r.size,
    step: r.step,
    stateMessage: r.stateMessage,
    openclawVersion: r.openclawVersion,
    runningOpenclawVersion: r.runningOpenclawVersion,
    agentVersion: r.agentVersion,
    agentPublicKey: r.agentPublicKey,
    model: r.model ?? null,
    ipv4: r.ipv4,
    keepOnFailure: r.keepOnFailure,
    lastHeartbeatAt: r.lastHeartbeatAt?.toISOString() ?? null,
    readyAt: r.readyAt?.toISOString() ?? null,
    updatedAt: r.updatedAt.toISOString(),
    events: events.map((e) => ({
      step: e.step,
      status: e.status as Instance["events"][number]["status"],
      message: e.message,
      at: e.at.toISOString(),
    })),
  };
}
