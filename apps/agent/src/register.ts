// One-time registration: trade the registration token for the agent credential. Transient
// failures (network, 408, 429, 5xx) are retried with backoff for as long as the agent runs: the
// token's 30-minute expiry turns a server that never comes back into a clear 401. Any other
// answer is final, because a spent token can never succeed.
import { type RegisterRequest, registerResponseSchema } from "@clawcloud/contracts";
import { createBackoff, retryAfterMs, sleep } from "./backoff.ts";
import type { AgentConfig } from "./config.ts";
import type { Logger } from "./log.ts";
import { registerUrl } from "./server-urls.ts";
import { AGENT_VERSION } from "./version.ts";

export type RegisterOutcome =
  | { kind: "registered"; credential: string; heartbeatIntervalSec: number }
  | { kind: "rejected"; status: number; code: string; message: string }
  | { kind: "stopped" };

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 10 * 60_000;

async function errorBody(res: Response): Promise<{ code: string; message: string }> {
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof body.error?.code === "string" ? body.error.code.slice(0, 64) : `HTTP_${res.status}`;
    const message = typeof body.error?.message === "string" ? body.error.message.slice(0, 500) : res.statusText;
    return { code, message };
  } catch {
    return { code: `HTTP_${res.status}`, message: res.statusText };
  }
}

export async function register(opts: {
  config: AgentConfig;
  token: string;
  publicKey: string;
  log: Logger;
  signal: AbortSignal;
}): Promise<RegisterOutcome> {
  const { config, log, signal } = opts;
  const url = registerUrl(config.serverUrl);
  const body: RegisterRequest = {
    instanceId: config.instanceId,
    token: opts.token,
    publicKey: opts.publicKey,
    agentVersion: AGENT_VERSION,
  };
  const backoff = createBackoff({ minMs: config.tuning.reconnectMinDelayMs, maxMs: config.tuning.reconnectMaxDelayMs });

  while (!signal.aborted) {
    log.info("registering", { url, attempt: backoff.attempts + 1 });
    let wait: number | undefined;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
        redirect: "error", // never replay the token to wherever a redirect points
        signal: AbortSignal.any([signal, AbortSignal.timeout(config.tuning.registerTimeoutMs)]),
      });
      if (res.ok) {
        const parsed = registerResponseSchema.safeParse(await res.json().catch(() => undefined));
        if (!parsed.success) {
          return {
            kind: "rejected",
            status: res.status,
            code: "INVALID_RESPONSE",
            message: "the server's registration response is malformed",
          };
        }
        return { kind: "registered", ...parsed.data };
      }
      const { code, message } = await errorBody(res);
      if (!RETRYABLE.has(res.status)) return { kind: "rejected", status: res.status, code, message };
      log.warn("registration_retry", { status: res.status, code });
      const hinted = retryAfterMs(res.headers.get("retry-after"));
      if (hinted !== undefined) wait = Math.min(hinted, MAX_RETRY_AFTER_MS);
    } catch (err) {
      if (signal.aborted) break;
      log.warn("registration_retry", { error: describeError(err) });
    }
    const delay = Math.max(wait ?? 0, backoff.next());
    await sleep(delay, signal);
  }
  return { kind: "stopped" };
}

export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? `: ${(cause as NodeJS.ErrnoException).code ?? cause.message}` : "";
  return `${err.name === "Error" ? "" : `${err.name}: `}${err.message}${detail}`;
}
