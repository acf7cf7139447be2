// When a running instance counts as `degraded`: the thresholds live here and nowhere else.
import type { Heartbeat } from "@clawcloud/contracts";

/** Disk use above this share of the disk is degraded (OpenClaw's workspace and backups need room). */
export const DISK_DEGRADED_USED_PCT = 90;
/** Less available memory than this share of the total is memory pressure (the OOM killer is near). */
export const MEMORY_DEGRADED_AVAILABLE_PCT = 5;

/** What is wrong with a heartbeat's machine, in words a person can act on; empty when healthy. */
export function healthProblems(hb: Heartbeat): string[] {
  const problems: string[] = [];
  if (!hb.gateway.healthy || !hb.gateway.ready) problems.push("The OpenClaw gateway is not healthy.");
  if (hb.disk.totalMb > 0) {
    const usedPct = ((hb.disk.totalMb - hb.disk.freeMb) / hb.disk.totalMb) * 100;
    if (usedPct > DISK_DEGRADED_USED_PCT) problems.push(`The disk is ${Math.round(usedPct)}% full.`);
  }
  if (hb.memory.totalMb > 0) {
    const availablePct = (hb.memory.availableMb / hb.memory.totalMb) * 100;
    if (availablePct < MEMORY_DEGRADED_AVAILABLE_PCT)
      problems.push(`Memory is nearly exhausted (${Math.round(hb.memory.availableMb)} MB available).`);
  }
  return problems;
}
