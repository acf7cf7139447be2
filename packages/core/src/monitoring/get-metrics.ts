// An instance's metrics over a range, downsampled in the database to at most ~170 points so the
// response and the chart stay small whatever the range.
import { type InstanceMetrics, type MetricsRange, metricsQuerySchema } from "@clawcloud/contracts";
import { type Db, sql } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { findInstance } from "../instances/get-instance.ts";
import { parseInput } from "../validate.ts";

const ranges: Record<MetricsRange, { spanSec: number; stepSec: number }> = {
  "1h": { spanSec: 3600, stepSec: 60 },
  "24h": { spanSec: 86_400, stepSec: 600 },
  "7d": { spanSec: 7 * 86_400, stepSec: 3600 },
};

interface Row extends Record<string, unknown> {
  t: string | Date;
  cpu_load: number;
  cpu_cores: number;
  mem_used_mb: number;
  mem_total_mb: number;
  disk_used_mb: number;
  disk_total_mb: number;
  gateway_healthy: boolean;
}

export async function getInstanceMetrics(db: Db, actor: Actor, instanceId: string, query: unknown): Promise<InstanceMetrics> {
  const { range } = parseInput(metricsQuerySchema, query);
  await findInstance(db, actor, instanceId);
  const { spanSec, stepSec } = ranges[range];
  const to = new Date();
  const from = new Date(to.getTime() - spanSec * 1000);
  const res = await db.execute<Row>(sql`
    select date_bin(make_interval(secs => ${stepSec}), bucket, timestamptz '2000-01-01') as t,
      avg(cpu_load)::float8 as cpu_load, max(cpu_cores)::int as cpu_cores,
      max(mem_used_mb)::int as mem_used_mb, max(mem_total_mb)::int as mem_total_mb,
      max(disk_used_mb)::int as disk_used_mb, max(disk_total_mb)::int as disk_total_mb,
      bool_and(gateway_healthy) as gateway_healthy
    from instance_metrics
    where instance_id = ${instanceId} and bucket >= ${from.toISOString()}::timestamptz
    group by 1 order by 1`);
  return {
    range,
    stepSec,
    from: from.toISOString(),
    to: to.toISOString(),
    points: res.rows.map((r) => ({
      t: new Date(r.t).toISOString(),
      cpuLoad: Math.round(Number(r.cpu_load) * 100) / 100,
      cpuCores: Number(r.cpu_cores),
      memUsedMb: Number(r.mem_used_mb),
      memTotalMb: Number(r.mem_total_mb),
      diskUsedMb: Number(r.disk_used_mb),
      diskTotalMb: Number(r.disk_total_mb),
      gatewayHealthy: Boolean(r.gateway_healthy),
    })),
  };
}
