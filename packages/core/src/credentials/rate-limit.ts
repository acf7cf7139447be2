// A token bucket per credential, around the driver's `fetch`: every HTTP request a driver sends
// for one credential takes a token first, so all of one user's deploys together stay inside the
// provider's published limit instead of finding it with 429s. When no token is there the request
// waits (in order of arrival); it never fails for want of one. A 429 the provider still sends
// (the token is shared with the user's own scripts, or a limit changed) empties the bucket until
// its Retry-After, for every request of that credential.
//
// A limit is one or more buckets (capacity C, refill r per second); a request needs a token from
// each. A provider that counts requests in a sliding window of length T with limit L is never
// exceeded when C + r·T ≤ L (a bucket lets through at most C + r·T requests in any window of T);
// a provider that runs a token bucket itself is never exceeded when C and r are at most its own.
// Each limit below leaves a margin for clock skew and requests made outside Claw Cloud.
//
// In-process: the buckets live in this process, which is right while one process runs the
// workers. With several worker processes, each would grant the full rate and together they could
// exceed it: a multi-worker deployment needs the bucket shared in Postgres — a row per
// (credential, bucket) holding `tokens` and `at`, taken with one
// `UPDATE … SET tokens = least(C, tokens + r·(now() - at)) - 1, at = now() … RETURNING` under the
// row lock (or an advisory lock), the caller sleeping for the deficit when it comes back negative,
// and a 429 setting `blocked_until`. Until then, per-credential concurrency is also limited by
// the queue, and the provider's 429s are still honoured through Retry-After.

import type { Provider } from "@clawcloud/contracts";

export interface BucketSpec {
  /** Tokens the bucket holds when full: the burst allowed after a quiet spell. */
  capacity: number;
  /** Tokens added per second. */
  perSecond: number;
}

export const PROVIDER_LIMITS: Record<Provider, readonly BucketSpec[]> = {
  // DigitalOcean: 250 requests a minute and 5,000 an hour per token, in sliding windows
  // (https://docs.digitalocean.com/reference/api/#rate-limit; the simulator models the same).
  // Minute: 50 + 3·60 = 230 ≤ 250. Hour: 2,000 + 0.75·3,600 = 4,700 ≤ 5,000.
  digitalocean: [
    { capacity: 50, perSecond: 3 },
    { capacity: 2000, perSecond: 0.75 },
  ],
  // Hetzner Cloud: a bucket of 3,600 requests an hour per project token, refilled 1 per second
  // (https://docs.hetzner.cloud/#rate-limiting).
  hetzner: [{ capacity: 3400, perSecond: 0.95 }],
  // Vultr: 30 requests a second (https://www.vultr.com/api/#section/Introduction/Rate-Limit),
  // counted per client address: credentials sharing a worker's address share it, so keep well
  // under. 5 + 20·1 = 25 ≤ 30.
  vultr: [{ capacity: 5, perSecond: 20 }],
  // AWS EC2: token buckets per account and action class; non-mutating actions 100 / 20 a second,
  // mutating and resource-intensive ones refill at 5 a second
  // (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html). ~20 a second,
  // with a burst small enough for the mutating buckets.
  aws: [{ capacity: 50, perSecond: 18 }],
  // Azure and GCP: their drivers speak through the official SDKs' own HTTP stacks, which do not
  // take the wrapped fetch, so these buckets are not applied to them yet (the drivers honour the
  // clouds' own throttling signals instead: azure/throttle.ts, gcp/errors.ts).
  // Azure Resource Manager: token buckets per principal and subscription, writes and deletes 200
  // refilling 10 a second, reads 250 refilling 25 (learn.microsoft.com, "Understand how Azure
  // Resource Manager throttles requests"). Kept under the write bucket.
  azure: [{ capacity: 50, perSecond: 8 }],
  // Compute Engine: per-project per-minute API quotas (default 1,500 reads and 1,500 writes a
  // minute on new projects); 20 + 15·60 = 920 ≤ 1,500.
  gcp: [{ capacity: 20, perSecond: 15 }],
};

/** Time as the limiter sees it: injectable so tests and benchmarks can compress it. */
export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realLimiterClock: LimiterClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The longest a 429 empties a bucket for, whatever the provider's headers say. */
const MAX_DRAIN_MS = 3_600_000;
/** When a 429 says nothing about when to retry. */
const DEFAULT_DRAIN_MS = 1_000;
const EPSILON = 1e-9;

interface Bucket extends BucketSpec {
  tokens: number;
  /** When `tokens` was last brought up to date; after a 429, in the future (nothing refills before). */
  at: number;
}

interface KeyState {
  buckets: Bucket[];
  /** The last request in line: each waits for the one before it (first come, first served). */
  tail: Promise<void>;
}

export interface RateLimiterStats {
  /** Requests that went out. */
  granted: number;
  /** Requests that had to wait for a token, and the time they waited in all (ms on the limiter's clock). */
  waited: number;
  waitedMs: number;
  /** 429s that emptied a bucket. */
  drained: number;
}

export class CredentialRateLimiter {
  readonly #clock: LimiterClock;
  readonly #limits: Partial<Record<string, readonly BucketSpec[]>>;
  readonly #keys = new Map<string, KeyState>();
  readonly stats: RateLimiterStats = { granted: 0, waited: 0, waitedMs: 0, drained: 0 };

  constructor(o: { clock?: LimiterClock; limits?: Partial<Record<string, readonly BucketSpec[]>> } = {}) {
    this.#clock = o.clock ?? realLimiterClock;
    this.#limits = { ...PROVIDER_LIMITS, ...o.limits };
  }

  /** Waits for a token of `key`'s buckets (created full, with `provider`'s limits, on first use). */
  acquire(key: string, provider: string): Promise<void> {
    const state = this.#state(key, provider);
    const turn = state.tail.then(() => this.#take(state));
    state.tail = turn.catch(() => undefined);
    return turn;
  }

  /**
   * After a 429: nothing of `key` goes out before `untilMs`, nothing refills before it, and the
   * burst bucket (the one that empties fastest) starts again from a single token — the provider
   * said a request may go then. A 429 says when, not which of the provider's limits was hit: the
   * longer buckets' stock (DigitalOcean's hour) already counts every request sent, and is kept.
   */
  drain(key: string, untilMs: number): void {
    const state = this.#keys.get(key);
    if (!state) return;
    this.stats.drained++;
    const until = Math.min(untilMs, this.#clock.now() + MAX_DRAIN_MS);
    const burst = state.buckets.reduce<Bucket | undefined>(
      (a, b) => (!a || b.capacity / b.perSecond < a.capacity / a.perSecond ? b : a),
      undefined,
    );
    for (const b of state.buckets) {
      if (b === burst) b.tokens = Math.min(1, b.tokens);
      b.at = Math.max(b.at, until);
    }
  }

  /** `fetch`, with a token taken before each request and a 429 draining the credential's bucket. */
  wrapFetch(key: string, provider: string, inner: typeof fetch): typeof fetch {
    const wrapped = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
      await this.acquire(key, provider);
      const res = await inner(input, init);
      if (res.status === 429) this.drain(key, this.#clock.now() + drainMs(provider, res.headers, this.#clock.now()));
      return res;
    };
    return wrapped as typeof fetch;
  }

  #state(key: string, provider: string): KeyState {
    let state = this.#keys.get(key);
    if (!state) {
      const specs = this.#limits[provider] ?? [];
      const now = this.#clock.now();
      state = { buckets: specs.map((s) => ({ ...s, tokens: s.capacity, at: now })), tail: Promise.resolve() };
      this.#keys.set(key, state);
    }
    return state;
  }

  async #take(state: KeyState): Promise<void> {
    const start = this.#clock.now();
    for (;;) {
      const now = this.#clock.now();
      let wait = 0;
      for (const b of state.buckets) {
        if (now > b.at) {
          b.tokens = Math.min(b.capacity, b.tokens + ((now - b.at) / 1000) * b.perSecond);
          b.at = now;
        }
        const deficit = b.tokens >= 1 - EPSILON ? 0 : ((1 - b.tokens) / b.perSecond) * 1000;
        wait = Math.max(wait, b.at - now + deficit);
      }
      if (wait <= 0) {
        for (const b of state.buckets) b.tokens -= 1;
        this.stats.granted++;
        if (now > start) {
          this.stats.waited++;
          this.stats.waitedMs += now - start;
        }
        return;
      }
      await this.#clock.sleep(Math.ceil(wait));
    }
  }
}

/**
 * How long a 429 empties the bucket for: Retry-After (seconds or a date); else, when the provider
 * says nothing is left, until DigitalOcean's reset (seconds since the epoch: when the oldest
 * counted request leaves the window) — Hetzner's reset is when its bucket is full again, but a
 * token comes back every second; else a second.
 */
export function drainMs(provider: string, headers: Headers, nowMs: number): number {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
  }
  const reset = headers.get("ratelimit-reset")?.trim();
  if (provider === "digitalocean" && headers.get("ratelimit-remaining")?.trim() === "0" && reset && /^\d+$/.test(reset))
    return Math.max(DEFAULT_DRAIN_MS, Number(reset) * 1000 - nowMs);
  return DEFAULT_DRAIN_MS;
}
