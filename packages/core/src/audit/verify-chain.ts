// `npm run audit -- verify`: recomputes every row's hash in order and checks each links to the one
// before (and that no sequence number is missing). Reports the first row where the chain breaks.
import { asc, type Db, gt, schema } from "@clawcloud/db";
import { GENESIS_HASH, hashRow } from "./chain.ts";

export interface VerifyReport {
  rows: number;
  /** The first row that does not verify, and why; absent when the whole chain verifies. */
  broken?: { seq: number; id: string; reason: string };
}

const BATCH = 1000;

export async function verifyAuditChain(db: Db): Promise<VerifyReport> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let rows = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(schema.auditLog)
      .where(gt(schema.auditLog.seq, expectedSeq - 1))
      .orderBy(asc(schema.auditLog.seq))
      .limit(BATCH);
    for (const r of batch) {
      const at = { seq: r.seq, id: r.id };
      if (r.seq !== expectedSeq) return { rows, broken: { ...at, reason: `row ${expectedSeq} is missing (deleted?)` } };
      if (r.prevHash !== prevHash) return { rows, broken: { ...at, reason: "prev_hash does not match the row before it" } };
      if (hashRow(r) !== r.hash) return { rows, broken: { ...at, reason: "hash does not match the row's contents (modified?)" } };
      prevHash = r.hash;
      expectedSeq++;
      rows++;
    }
    if (batch.length < BATCH) return { rows };
  }
}
