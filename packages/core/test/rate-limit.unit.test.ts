// The per-credential token bucket, on a clock the tests move: nothing here waits in real time or
// asserts on it.
import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../providers/test/simulator/core.ts";
import { CredentialRateLimiter, drainMs, type LimiterClock, PROVIDER_LIMITS } from "../src/credentials/rate-limit.ts";

/** A clock that only moves when the limiter sleeps. */
function virtualClock(): LimiterClock & { t: number; sleeps: number } {
  const c = {
    t: Date.UTC(2026, 10, 25, 12),
    sleeps: 0,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.sleeps++;
      c.t += ms;
    },
  };
  return c;
}

/** The most requests in any window of `windowMs` (sliding, as DigitalOcean counts them). */
function maxInWindow(times: number[], windowMs: number): number {
  let max = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

const okFetch = (async () => new Response("{}", { status: 200 })) as unknown as typeof fetch;

describe("the per-credential token bucket", () => {
  it("keeps a burst of requests inside DigitalOcean's minute and hour limits, waiting rather than failing", async () => {
    const clock = virtualClock();
    const limiter = new CredentialRateLimiter({ clock });
    const times: number[] = [];
    const n = 6000;
    const results = await Promise.allSettled(
      Array.from({ length: n }, () => limiter.acquire("cred_a", "digitalocean").then(() => times.push(clock.now()))),
    );
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect(times).toHaveLength(n);
    expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(250);
    expect(maxInWindow(times, 3_600_000)).toBeLessThanOrEqual(5000);
    expect(limiter.stats.waited).toBeGreaterThan(0);
    // In order of arrival, never earlier than the one before.
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("keeps Hetzner's bucket (3,600, refilled 1 a second) from ever running dry", async () => {
    const clock = virtualClock();
    const limiter = new CredentialRateLimiter({ clock });
    const hetzner = new TokenBucket(3600, 1); // the simulator's model of Hetzner's limit
    let refused = 0;
    await Promise.all(
      Array.from({ length: 10_000 }, () =>
        limiter.acquire("cred_a", "hetzner").then(() => {
          if (!hetzner.take("token", clock.now()).ok) refused++;
        }),
      ),
    );
    expect(refused).toBe(0);
  });

  it("keeps Vultr inside 30 requests a second", async () => {
    const clock = virtualClock();
    const limiter = new CredentialRateLimiter({ clock });
    const times: number[] = [];
    await Promise.all(Array.from({ length: 300 }, () => limiter.acquire("cred_a", "vultr").then(() => times.push(clock.now()))));
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(30);
  });

  it("has a published limit with a margin for every provider", () => {
    for (const specs of Object.values(PROVIDER_LIMITS)) {
      expect(specs.length).toBeGreaterThan(0);
      for (const s of specs) expect(s.capacity >= 1 && s.perSecond > 0).toBe(true);
    }
  });

  it("takes a token for each request sent through the wrapped fetch", async () => {
    const clock = virtualClock();
    const limiter = new CredentialRateLimiter({ clock, limits: { digitalocean: [{ capacity: 2, perSecond: 1 }] } });
    const f = limiter.wrapFetch("cred_a", "digitalocean", okFetch);
    for (let i = 0; i < 5; i++) await f("http://sim/v2/droplets");
    expect(limiter.stats.granted).toBe(5);
    expect(clock.t - Date.UTC(2026, 10, 25, 12)).toBeGreaterThanOrEqual(3000); // 2 at once, then 1 a second
  });

  it("empties the bucket until the Retry-After of a 429 the provider still sends", async () => {
    const clock = virtualClock();
    const limiter = new CredentialRateLimiter({ clock });
    let calls = 0;
    const sent: number[] = [];
    const provider = (async () => {
      sent.push(clock.now());
      return ++calls === 1 ? new Response("{}", { status: 429, headers: { "retry-after": "30" } }) : new Response("{}", { status: 200 });
    }) as unknown as typeof fetch;
    const f = limiter.wrapFetch("cred_a", "digitalocean", provider);
    const t0 = clock.now();
    expect((await f("http://sim/v2/droplets")).status).toBe(429);
    // Plenty of tokens were left, but the provider said wait: every request of the credential waits.
    await Promise.all([f("http://sim/v2/droplets"), f("http://sim/v2/tags")]);
    expect(sent[1]).toBeGreaterThanOrEqual(t0 + 30_000);
    expect(sent[2]).toBeGreaterThanOrEqual(t0 + 30_000);
    expect(limiter.stats.drained).toBe(1);
  });

  it("reads when to retry from DigitalOcean's reset header when there is no Retry-After", () => {
    const now = Date.UTC(2026, 10, 25, 12);
    const h = new Headers({ "ratelimit-remaining": "0", "ratelimit-reset": String(now / 1000 + 600) });
    expect(drainMs("digitalocean", h, now)).toBe(600_000);
    expect(drainMs("hetzner", h, now)).toBe(1000); // Hetzner's reset is when its bucket is full; a token is back each second
    expect(drainMs("vultr", new Headers({ "retry-after": "2" }), now)).toBe(2000);
  });

  it("gives each credential its own bucket", async () => {
    const clock = virtualClock();
    const limiter = new CredentialRateLimiter({ clock, limits: { digitalocean: [{ capacity: 3, perSecond: 0.1 }] } });
    for (let i = 0; i < 3; i++) await limiter.acquire("cred_a", "digitalocean"); // cred_a is empty now
    const t0 = clock.now();
    for (let i = 0; i < 3; i++) await limiter.acquire("cred_b", "digitalocean");
    expect(clock.now()).toBe(t0);
    expect(clock.sleeps).toBe(0);
    // A 429 on one credential does not hold the other back.
    limiter.drain("cred_a", t0 + 60_000);
    clock.t += 30_000; // cred_b has 3 tokens again; cred_a stays empty until t0 + 60 s
    const t1 = clock.now();
    await limiter.acquire("cred_b", "digitalocean");
    expect(clock.now()).toBe(t1);
    await limiter.acquire("cred_a", "digitalocean");
    expect(clock.now()).toBeGreaterThanOrEqual(t0 + 60_000);
  });
});
