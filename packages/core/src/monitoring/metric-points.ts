// The metrics time series: one point per instance per minute (schema: instance_metrics). A batch's
// heartbeats are folded per minute here first (one multi-row statement cannot touch a row twice),
// then merged with what the minute already holds: worst figures, latest versions.
import type { Heartbeat } from "@clawcloud/contracts";
import { type Db, schema, sql } from "@clawcloud/db";

type Point = typeof schema.instanceMetrics.$inferInsert;

const MINUTE_MS = 60_000;

function pointOf(instanceId: string, hb: Heartbeat, at: Date): Point {
  return {
    instanceId,
    bucket: new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS),
    cpuLoad: hb.cpu.load1,
    cpuCores: hb.cpu.cores,
    memUsedMb: Math.round(Math.max(0, hb.memory.totalMb - hb.memory.availableMb)),
    memTotalMb: Math.round(hb.memory.totalMb),
    diskUsedMb: Math.round(Math.max(0, hb.disk.totalMb - hb.disk.freeMb)),
    diskTotalMb: Math.round(hb.disk.totalMb),
    gatewayHealthy: hb.gateway.healthy && hb.gateway.ready,
    samples: 1,
    openclawVersion: hb.openclawVersion,
    agentVersion: hb.agentVersion,
  };
}

function fold(a: Point, b: Point): Point {
  return {
    ...b,
    cpuLoad: Math.max(a.cpuLoad, b.cpuLoad),
    memUsedMb: Math.max(a.memUsedMb, b.memUsedMb),
    diskUsedMb: Math.max(a.diskUsedMb, b.diskUsedMb),
    gatewayHealthy: a.gatewayHealthy && b.gatewayHealthy,
    samples: (a.samples ?? 1) + (b.samples ?? 1),
  };
}

export async function upsertMetricPoints(
  tx: Pick<Db, "insert">,
  heartbeats: readonly { instanceId: string; hb: Heartbeat; at: Date }[],
): Promise<void> {
  const points = new Map<string, Point>();
  for (const r of [...heartbeats].sort((x, y) => x.at.getTime() - y.at.getTime())) {
    const p = pointOf(r.instanceId, r.hb, r.at);
    const key = `${p.instanceId}|${p.bucket.getTime()}`;
    const prev = points.get(key);
    points.set(key, prev ? fold(prev, p) : p);
  }
  if (points.size === 0) return;
  const m = schema.instanceMetrics;
  await tx
    .insert(m)
    .values([...points.values()])
    .onConflictDoUpdate({
      target: [m.instanceId, m.bucket],
      set: {
        cpuLoad: sql`greatest(${m.cpuLoad}, excluded.cpu_load)`,
        cpuCores: sql`excluded.cpu_cores`,
        memUsedMb: sql`greatest(${m.memUsedMb}, excluded.mem_used_mb)`,
        memTotalMb: sql`excluded.mem_total_mb`,
        diskUsedMb: sql`greatest(${m.diskUsedMb}, excluded.disk_used_mb)`,
        diskTotalMb: sql`excluded.disk_total_mb`,
        gatewayHealthy: sql`${m.gatewayHealthy} and excluded.gateway_healthy`,
        samples: sql`${m.samples} + excluded.samples`,
        openclawVersion: sql`excluded.openclaw_version`,
        agentVersion: sql`excluded.agent_version`,
      },
    });
}
