import { describe, expect, it } from "vitest";
import { createBackoff, retryAfterMs, sleep } from "../src/backoff.ts";

describe("backoff", () => {
  it("grows exponentially between half and all of the ceiling, capped, and resets", () => {
    const low = createBackoff({ minMs: 100, maxMs: 1000, random: () => 0 });
    const high = createBackoff({ minMs: 100, maxMs: 1000, random: () => 1 });
    expect([1, 2, 3, 4, 5, 6].map(() => low.next())).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map(() => high.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(high.attempts).toBe(6);
    high.reset();
    expect(high.attempts).toBe(0);
    expect(high.next()).toBe(100);
  });

  it("never overflows after very many attempts", () => {
    const b = createBackoff({ minMs: 1000, maxMs: 60_000, random: () => 1 });
    for (let i = 0; i < 5000; i++) b.next();
    expect(b.next()).toBe(60_000);
  });

  it("spreads agents that retry at the same attempt (jitter)", () => {
    let r = 0;
    const values = Array.from({ length: 20 }, () => createBackoff({ minMs: 1000, maxMs: 60_000, random: () => (r++ % 20) / 20 }).next());
    expect(new Set(values).size).toBe(20);
  });

  it("parses Retry-After as seconds or a date", () => {
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs("7")).toBe(7000);
    expect(retryAfterMs("Wed, 25 Nov 2026 10:00:10 GMT", Date.parse("Wed, 25 Nov 2026 10:00:00 GMT"))).toBe(10_000);
    expect(retryAfterMs("soon")).toBeUndefined();
  });

  it("sleep ends early when aborted", async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort();
    await slept;
  });
});
