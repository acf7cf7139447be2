// HTTP channels: one proxied request to OpenClaw's OpenAI-compatible endpoint on loopback, with
// the gateway token added here (it never leaves the instance). The response streams back as HEAD
// then DATA chunks; PAUSE holds the reading of the gateway's response until RESUME, so a slow API
// client slows the stream instead of filling memory. Closing the channel aborts the request,
// which cancels the OpenClaw run.
import type { RelayHead, RelayOpen } from "@clawcloud/contracts";
import type { Logger } from "../log.ts";

interface HttpChannel {
  abort: AbortController;
  paused: boolean;
  resume: (() => void) | undefined;
}

export interface HttpChannelsOptions {
  gatewayUrl: string;
  gatewayToken: string | undefined;
  log: Logger;
  head(channel: number, head: RelayHead): void;
  data(channel: number, chunk: Uint8Array): void;
  close(channel: number, reason?: string): void;
}

const TIMEOUT_MS = 10 * 60_000;

export class HttpChannels {
  readonly #o: HttpChannelsOptions;
  readonly #channels = new Map<number, HttpChannel>();

  constructor(o: HttpChannelsOptions) {
    this.#o = o;
  }

  open(channel: number, req: Extract<RelayOpen, { kind: "http" }>): void {
    const c: HttpChannel = { abort: new AbortController(), paused: false, resume: undefined };
    this.#channels.set(channel, c);
    void this.#run(channel, c, req).finally(() => this.#channels.delete(channel));
  }

  close(channel: number): void {
    this.#channels.get(channel)?.abort.abort();
    this.#channels.delete(channel);
  }

  closeAll(): void {
    for (const c of this.#channels.values()) c.abort.abort();
    this.#channels.clear();
  }

  pause(channel: number): void {
    const c = this.#channels.get(channel);
    if (c) c.paused = true;
  }

  resume(channel: number): void {
    const c = this.#channels.get(channel);
    if (!c) return;
    c.paused = false;
    c.resume?.();
    c.resume = undefined;
  }

  async #run(channel: number, c: HttpChannel, req: Extract<RelayOpen, { kind: "http" }>): Promise<void> {
    const { log } = this.#o;
    const started = performance.now();
    let bytes = 0;
    let headSent = false;
    try {
      const res = await fetch(new URL(req.path, this.#o.gatewayUrl), {
        method: req.method,
        headers: {
          ...(this.#o.gatewayToken ? { authorization: `Bearer ${this.#o.gatewayToken}` } : {}),
          ...(req.body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: req.body,
        redirect: "error",
        signal: AbortSignal.any([c.abort.signal, AbortSignal.timeout(TIMEOUT_MS)]),
      });
      this.#o.head(channel, { status: res.status, contentType: res.headers.get("content-type") ?? "application/json" });
      headSent = true;
      if (res.body) {
        for await (const chunk of res.body) {
          if (c.paused) await new Promise<void>((resolve) => (c.resume = resolve));
          if (c.abort.signal.aborted) break;
          bytes += chunk.byteLength;
          this.#o.data(channel, chunk);
        }
      }
      this.#o.close(channel);
    } catch (err) {
      if (c.abort.signal.aborted) return;
      const reason = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      log.warn("http_channel_failed", { channel, path: req.path, reason });
      if (headSent) return this.#o.close(channel, "GATEWAY_UNAVAILABLE");
      this.#o.head(channel, { status: 502, contentType: "application/json" });
      this.#o.data(
        channel,
        new TextEncoder().encode(
          JSON.stringify({ error: { message: "OpenClaw's gateway on the instance is not answering.", type: "gateway_unavailable" } }),
        ),
      );
      this.#o.close(channel, "GATEWAY_UNAVAILABLE");
    } finally {
      log.info("http_channel_done", { channel, path: req.path, bytes, ms: Math.round(performance.now() - started) });
    }
  }
}
