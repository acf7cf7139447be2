// Exponential backoff with jitter: attempt n waits between half and all of min·2ⁿ (capped at max),
// so a fleet of agents that lost the server at the same moment does not come back in lockstep,
// and no wait is ever close to zero.
export interface Backoff {
  /** The delay before the next attempt; each call counts one more failure. */
  next(): number;
  reset(): void;
  readonly attempts: number;
}

export function createBackoff(opts: { minMs: number; maxMs: number; random?: () => number }): Backoff {
  const random = opts.random ?? Math.random;
  let attempts = 0;
  return {
    next() {
      const ceiling = Math.min(opts.maxMs, opts.minMs * 2 ** Math.min(attempts, 30));
      attempts++;
      return Math.round(ceiling / 2 + random() * (ceiling / 2));
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}

/** Resolves after `ms`, or early (without error) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds, if present. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
