import type { Size } from "./api";

/** OpenClaw's gateway idles at ~1 GB: 2 GB is the floor, 4 GB the comfortable size. */
export const MIN_MEMORY_MB = 2048;
export const RECOMMENDED_MEMORY_MB = 4096;

export function vcpuLabel(n: number): string {
  return `${n} vCPU${n === 1 ? "" : "s"}`;
}

/** How a size suits OpenClaw. */
export function sizeFit(size: Size): "small" | "recommended" | "ok" {
  if (size.memoryMb < MIN_MEMORY_MB) return "small";
  if (size.memoryMb === RECOMMENDED_MEMORY_MB) return "recommended";
  return "ok";
}

/** Smallest first: memory, then price, then CPUs. */
export function bySize(a: Size, b: Size): number {
  return a.memoryMb - b.memoryMb || a.priceMonthlyCents - b.priceMonthlyCents || a.vcpus - b.vcpus;
}

/** Whether a size can be created in a region (an empty list means everywhere). */
export function offeredIn(size: Size, region: string): boolean {
  return size.regions.length === 0 || size.regions.includes(region);
}
