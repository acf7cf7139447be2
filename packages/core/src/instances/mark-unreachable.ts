// An instance whose agent has not sent a heartbeat for 90 seconds (six missed beats) is
// `unreachable`, which opens an incident and alerts; its next heartbeat decides ready or degraded
// again (agents/record-heartbeat.ts), and recovery closes the incident.
import { type Db, sql } from "@clawcloud/db";
import { raiseAlert } from "../monitoring/raise-alert.ts";
import type { Queue } from "../queue/queue.ts";
import { recordEvent } from "./events.ts";

export const UNREACHABLE_AFTER_SEC = 90;

export async function markUnreachable(db: Db, queue?: Queue): Promise<number> {
  const reason = `No heartbeat from the agent for ${UNREACHABLE_AFTER_SEC} seconds: the server may be down, or its network.`;
  return db.transaction(async (tx) => {
    // SKIP LOCKED: a row a heartbeat batch is writing right now is alive, and waiting on it (or
    // locking in another order than the batch does) could deadlock.
    const { rows } = await tx.execute<{ id: string }>(sql`
      update instances set state = 'unreachable', state_message = ${reason}, updated_at = now()
      where id in (
        select id from instances
        where state in ('ready', 'degraded') and last_heartbeat_at < now() - make_interval(secs => ${UNREACHABLE_AFTER_SEC})
        order by id for update skip locked)
      returning id`);
    for (const r of rows) {
      await recordEvent(tx, r.id, "unreachable", "failed", reason);
      await raiseAlert(tx, queue, { instanceId: r.id, kind: "unreachable", reason });
    }
    return rows.length;
  });
}
