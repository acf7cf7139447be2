// Host metrics for the heartbeat: load and cores, memory, the state directory's filesystem, uptime.
import { statfs } from "node:fs/promises";
import os from "node:os";

export interface HostMetrics {
  cpu: { load1: number; cores: number };
  memory: { totalMb: number; availableMb: number };
  disk: { totalMb: number; freeMb: number };
  uptimeSec: number;
}

const MB = 1024 * 1024;

export async function collectMetrics(stateDir: string): Promise<HostMetrics> {
  let disk = { totalMb: 0, freeMb: 0 };
  try {
    const fs = await statfs(stateDir);
    // bavail: the space an unprivileged process may still use (what OpenClaw will run into).
    disk = { totalMb: Math.floor((fs.blocks * fs.bsize) / MB), freeMb: Math.floor((fs.bavail * fs.bsize) / MB) };
  } catch {
    // keep zeros: a heartbeat with unknown disk is better than no heartbeat
  }
  return {
    cpu: { load1: Math.max(0, round2(os.loadavg()[0] ?? 0)), cores: Math.max(1, os.availableParallelism()) },
    // libuv reads MemAvailable from /proc/meminfo on Linux, i.e. memory usable without swapping.
    memory: { totalMb: Math.floor(os.totalmem() / MB), availableMb: Math.floor(os.freemem() / MB) },
    disk,
    uptimeSec: Math.floor(os.uptime()),
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
