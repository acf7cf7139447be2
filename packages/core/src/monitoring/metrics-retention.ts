// Metric points older than the retention are deleted in small batches, so the job never holds
// long locks or builds one huge transaction on a busy table.
import { type Db, sql } from "@clawcloud/db";

export const METRICS_RETENTION_DAYS = 7;

export async function deleteOldMetrics(db: Db, opts: { batchSize?: number; now?: Date } = {}): Promise<number> {
  const batchSize = opts.batchSize ?? 5000;
  const cutoff = new Date((opts.now ?? new Date()).getTime() - METRICS_RETENTION_DAYS * 86_400_000).toISOString();
  let total = 0;
  for (;;) {
    const res = await db.execute(sql`
      delete from instance_metrics where ctid = any(array(
        select ctid from instance_metrics where bucket < ${cutoff}::timestamptz limit ${batchSize})) returning 1`);
    // rows, not rowCount: the PGlite driver does not report rowCount.
    const n = res.rows.length;
    total += n;
    if (n < batchSize) return total;
  }
}
