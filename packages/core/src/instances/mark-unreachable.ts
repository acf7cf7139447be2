// An instance whose agent has not sent a heartbeat for 90 seconds (six missed beats) is
// `unreachable`; its next heartbeat makes it ready again (agents/record-heartbeat.ts).
import { and, type Db, inArray, lt, schema, sql } from "@clawcloud/db";
import { recordEvent } from "./events.ts";

export const UNREACHABLE_AFTER_SEC = 90;

export async function markUnreachable(db: Db): Promise<number> {
  const i = schema.instances;
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(i)
      .set({ state: "unreachable", updatedAt: new Date() })
      .where(
        and(inArray(i.state, ["ready", "degraded"]), lt(i.lastHeartbeatAt, sql`now() - make_interval(secs => ${UNREACHABLE_AFTER_SEC})`)),
      )
      .returning({ id: i.id });
    for (const r of rows)
      await recordEvent(tx, r.id, "unreachable", "failed", `No heartbeat from the agent for ${UNREACHABLE_AFTER_SEC} seconds.`);
    return rows.length;
  });
}
