// When a running instance counts as `degraded`: the thresholds live here and nowhere else.
// Disk and memory have a lower bar to recover than to fall (hysteresis), so a disk hovering at the
// threshold does not flap ready ⇄ degraded, with an alert each time.
import type { Heartbeat } from "@clawcloud/contracts";

/** Disk use above this share of the disk is degraded (OpenClaw's workspace and backups need room). */
export const DISK_DEGRADED_USED_PCT = 90;
/** A degraded disk counts as recovered once use is back below this share. */
export const DISK_RECOVERED_USED_PCT = 85;
/** Less available memory than this share of the total is memory pressure (the OOM killer is near). */
export const MEMORY_DEGRADED_AVAILABLE_PCT = 5;
/** Memory pressure counts as over once at least this share is available again. */
export const MEMORY_RECOVERED_AVAILABLE_PCT = 10;

export interface HealthContext {
  /** The instance is degraded now: problems last until they clear the recovery bars. */
  degraded: boolean;
  /** An update, rollback or restore holds the gateway down on purpose: that is not a problem. */
  gatewayHeldDown: boolean;
}

/** What is wrong with a heartbeat's machine, in words a person can act on; empty when healthy. */
export function healthProblems(hb: Heartbeat, now: HealthContext = { degraded: false, gatewayHeldDown: false }): string[] {
  const problems: string[] = [];
  if (gatewayDown(hb) && !now.gatewayHeldDown) problems.push("The OpenClaw gateway is not healthy.");
  if (hb.disk.totalMb > 0) {
    const usedPct = ((hb.disk.totalMb - hb.disk.freeMb) / hb.disk.totalMb) * 100;
    if (usedPct > (now.degraded ? DISK_RECOVERED_USED_PCT : DISK_DEGRADED_USED_PCT))
      problems.push(`The disk is ${Math.round(usedPct)}% full.`);
  }
  if (hb.memory.totalMb > 0) {
    const availablePct = (hb.memory.availableMb / hb.memory.totalMb) * 100;
    if (availablePct < (now.degraded ? MEMORY_RECOVERED_AVAILABLE_PCT : MEMORY_DEGRADED_AVAILABLE_PCT))
      problems.push(`Memory is nearly exhausted (${Math.round(hb.memory.availableMb)} MB available).`);
  }
  return problems;
}

export const gatewayDown = (hb: Heartbeat) => !hb.gateway.healthy || !hb.gateway.ready;
