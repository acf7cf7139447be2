// An instance whose agent has not sent a heartbeat for 90 seconds (six missed beats) is
// `unreachable`, which opens an incident and alerts; its next heartbeat decides ready or degraded
// again (agents/record-heartbeat.ts), and recovery closes the incident.
import { and, type Db, inArray, lt, schema, sql } from "@clawcloud/db";
import { raiseAlert } from "../monitoring/raise-alert.ts";
import type { Queue } from "../queue/queue.ts";
import { recordEvent } from "./events.ts";

export const UNREACHABLE_AFTER_SEC = 90;

export async function markUnreachable(db: Db, queue?: Queue): Promise<number> {
  const i = schema.instances;
  const reason = `No heartbeat from the agent for ${UNREACHABLE_AFTER_SEC} seconds: the server may be down, or its network.`;
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(i)
      .set({ state: "unreachable", stateMessage: reason, updatedAt: new Date() })
      .where(
        and(inArray(i.state, ["ready", "degraded"]), lt(i.lastHeartbeatAt, sql`now() - make_interval(secs => ${UNREACHABLE_AFTER_SEC})`)),
      )
      .returning({ id: i.id });
    for (const r of rows) {
      await recordEvent(tx, r.id, "unreachable", "failed", reason);
      await raiseAlert(tx, queue, { instanceId: r.id, kind: "unreachable", reason });
    }
    return rows.length;
  });
}
