// Injected faults: a queue of armed faults, drawn from with a seeded generator.

import type { Fault } from "./state.ts";

export class FaultQueue {
  readonly #faults: (Fault & { left: number })[] = [];
  #rand = 0;

  constructor(seed: number) {
    this.#rand = seed >>> 0;
  }

  inject(fault: Fault): void {
    this.#faults.push({ ...fault, left: fault.times ?? 1 });
  }
  clear(): void {
    this.#faults.length = 0;
  }

  /** mulberry32: a small seeded generator, so probabilistic faults repeat run to run. */
  #random(): number {
    this.#rand = (this.#rand + 0x6d2b79f5) >>> 0;
    let t = this.#rand;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  take(service: string, action: string, params: Record<string, string>, when: "before" | "after"): Fault | undefined {
    for (const f of this.#faults) {
      if (f.left <= 0 || (f.when ?? "before") !== when || (f.service && f.service !== service)) continue;
      if (f.action !== undefined && !(Array.isArray(f.action) ? f.action.includes(action) : f.action === action)) continue;
      if (f.match && !f.match(action, params)) continue;
      if (f.probability !== undefined && this.#random() >= f.probability) continue;
      f.left--;
      return f;
    }
    return undefined;
  }
}
