// The instance timeline. Events are written in the same transaction as the change they record.
import type { Db } from "@clawcloud/db";
import { schema } from "@clawcloud/db";
import { newId } from "../ids.ts";
import type { Tx } from "../queue/queue.ts";

export type EventStatus = "start" | "ok" | "failed" | "info";

export async function recordEvent(
  tx: Pick<Db, "insert"> & Tx,
  instanceId: string,
  step: string,
  status: EventStatus,
  message?: string,
): Promise<void> {
  await tx.insert(schema.instanceEvents).values({ id: newId("event"), instanceId, step, status, message: message ?? null });
}
