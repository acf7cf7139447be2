// Azure Resource Manager throttling, honoured in the pipeline: ARM answers 429 with Retry-After,
// and counts down each principal's remaining requests per kind (reads, writes, deletes) in
// `x-ms-ratelimit-remaining-subscription-*` (and the resource provider's own windows in
// `x-ms-ratelimit-remaining-resource`, e.g. "Microsoft.Compute/PutVM3Min;0"). Rather than spend
// the last token and get a 429, a request of a kind whose bucket is empty waits for ARM's refill;
// a short Retry-After is waited out inline, a long one is reported (rate_limited) for the worker.

import type { PipelinePolicy, PipelineRequest } from "@azure/core-rest-pipeline";

type Kind = "reads" | "writes" | "deletes";

const kindOf = (req: PipelineRequest): Kind => (req.method === "GET" ? "reads" : req.method === "DELETE" ? "deletes" : "writes");

/** ARM refills writes and deletes at 10 a second, reads at 25 (token bucket, per principal). */
const REFILL_MS: Record<Kind, number> = { reads: 40, writes: 100, deletes: 100 };

export interface ThrottleOptions {
  maxInlineWaitMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ThrottleState {
  /** How often a request waited because a bucket was empty, and how often a 429 was waited out. */
  paused: number;
  retried: number;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Seconds or an HTTP date → ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** True when any remaining-count header of this answer says nothing is left. */
export function bucketEmpty(get: (name: string) => string | undefined, kind: Kind): boolean {
  const sub = get(`x-ms-ratelimit-remaining-subscription-${kind}`);
  if (sub !== undefined && Number(sub) <= 0) return true;
  const resource = get("x-ms-ratelimit-remaining-resource");
  // "Microsoft.Compute/PutVM3Min;0,Microsoft.Compute/PutVM30Min;120"
  return resource?.split(",").some((w) => Number(w.split(";")[1]) <= 0) ?? false;
}

export function throttlePolicy(o: ThrottleOptions, state: ThrottleState = { paused: 0, retried: 0 }): PipelinePolicy {
  const sleep = o.sleep ?? realSleep;
  const emptyUntil: Partial<Record<Kind, number>> = {};
  return {
    name: "clawcloudArmThrottle",
    async sendRequest(request, next) {
      const kind = kindOf(request);
      const wait = (emptyUntil[kind] ?? 0) - Date.now();
      if (wait > 0) {
        state.paused++;
        await sleep(wait);
      }
      let res = await next(request);
      if (res.status === 429) {
        const ms = retryAfterMs(res.headers.get("retry-after") ?? undefined);
        if (ms !== undefined && ms <= o.maxInlineWaitMs) {
          state.retried++;
          await sleep(ms);
          res = await next(request);
        }
      }
      if (bucketEmpty((n) => res.headers.get(n) ?? undefined, kind)) emptyUntil[kind] = Date.now() + REFILL_MS[kind];
      return res;
    },
  };
}
