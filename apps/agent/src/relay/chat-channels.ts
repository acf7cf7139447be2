// Chat channels: each is one browser socket the server relays to this agent. Requests are
// validated, translated into OpenClaw gateway calls and answered on their channel; the gateway's
// chat events go to every open channel (the browser keeps what concerns its conversation).
// Nothing here logs content: only ops, sizes and error codes.
import { type ChatErrorCode, type ChatRequest, type ChatServerMessage, chatRequestSchema } from "@clawcloud/contracts";
import type { Logger } from "../log.ts";
import { toChatFrame, toHistory, toModel, toSessions } from "./chat-translate.ts";
import { type GatewayClient, GatewayError } from "./gateway-client.ts";

/** Frames held for a paused (slow) channel before it is closed as too slow. */
const MAX_QUEUED_BYTES = 2 * 1024 * 1024;
const RECONNECT_MS = 3_000;

interface Channel {
  paused: boolean;
  queue: string[];
  queuedBytes: number;
}

export interface ChatChannelsOptions {
  gateway: GatewayClient;
  log: Logger;
  /** Sends one chat frame (JSON text) on a channel. */
  send(channel: number, json: string): void;
  /** Closes a channel from this side. */
  close(channel: number, reason: string): void;
}

export class ChatChannels {
  readonly #o: ChatChannelsOptions;
  readonly #channels = new Map<number, Channel>();
  #retry: NodeJS.Timeout | undefined;

  constructor(o: ChatChannelsOptions) {
    this.#o = o;
    o.gateway.onEvent((e) => {
      if (e.event === "chat") {
        const frame = toChatFrame(e.payload);
        if (frame) this.#broadcast(frame);
      } else if (e.event === "sessions.changed") this.#broadcast({ type: "sessions.changed" });
    });
    o.gateway.onConnectionChange((connected) => {
      // On every connection, however it came about (a request may reconnect before the retry
      // does): OpenClaw sends the list's changes only to connections that asked.
      if (connected) return void o.gateway.request("sessions.subscribe", {}).catch(() => undefined);
      this.#broadcast({ type: "status", agent: "online", gateway: "unavailable" });
      this.#scheduleReconnect();
    });
  }

  get size(): number {
    return this.#channels.size;
  }

  open(channel: number): void {
    this.#channels.set(channel, { paused: false, queue: [], queuedBytes: 0 });
    void this.#status(channel);
  }

  close(channel: number): void {
    this.#channels.delete(channel);
  }

  closeAll(): void {
    this.#channels.clear();
    clearTimeout(this.#retry);
  }

  pause(channel: number): void {
    const c = this.#channels.get(channel);
    if (c) c.paused = true;
  }

  resume(channel: number): void {
    const c = this.#channels.get(channel);
    if (!c) return;
    c.paused = false;
    for (const json of c.queue.splice(0)) this.#o.send(channel, json);
    c.queuedBytes = 0;
  }

  /** One request from the browser. */
  async request(channel: number, text: string): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.#reply(channel, "?", "INVALID_REQUEST", "The request is not JSON.");
    }
    const parsed = chatRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown })?.id === "string" ? String((raw as { id: string }).id).slice(0, 64) : "?";
      const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(request)"}: ${i.message}`).join("; ");
      return this.#reply(channel, id, "INVALID_REQUEST", `The request is not valid: ${issues.slice(0, 300)}`);
    }
    const req = parsed.data;
    try {
      const result = await this.#run(req);
      this.#emit(channel, { type: "reply", id: req.id, ok: true, result });
    } catch (err) {
      const code: ChatErrorCode =
        err instanceof GatewayError
          ? err.code === "GATEWAY_UNAVAILABLE" || err.code === "GATEWAY_TIMEOUT" || err.code === "UNAVAILABLE"
            ? "GATEWAY_UNAVAILABLE"
            : err.code === "INVALID_REQUEST"
              ? "INVALID_REQUEST"
              : "GATEWAY_ERROR"
          : "GATEWAY_ERROR";
      this.#o.log.warn("chat_request_failed", { op: req.op, code, gatewayCode: err instanceof GatewayError ? err.code : undefined });
      this.#reply(channel, req.id, code, err instanceof Error ? err.message.slice(0, 300) : "OpenClaw could not do that.");
    }
  }

  async #run(req: ChatRequest): Promise<unknown> {
    const gw = this.#o.gateway;
    switch (req.op) {
      case "sessions.list": {
        const payload = await gw.request("sessions.list", {
          limit: req.limit ?? 100,
          includeDerivedTitles: true,
          includeLastMessage: true,
          sortBy: "activity",
        });
        return { sessions: toSessions(payload) };
      }
      case "history": {
        const payload = await gw.request("chat.history", { sessionKey: req.sessionKey, limit: req.limit ?? 200 });
        return { sessionKey: req.sessionKey, messages: toHistory(payload) };
      }
      case "send": {
        const payload = (await gw.request("chat.send", { sessionKey: req.sessionKey, message: req.text, idempotencyKey: req.runId })) as {
          runId?: string;
        };
        return { runId: payload?.runId ?? req.runId };
      }
      case "abort":
        await gw.request("chat.abort", req.runId ? { sessionKey: req.sessionKey, runId: req.runId } : { sessionKey: req.sessionKey });
        return {};
      case "delete":
        await gw.request("sessions.delete", { key: req.sessionKey });
        return {};
    }
  }

  /** Tells a newly opened channel where things stand: gateway reachable, the model in use. */
  async #status(channel: number): Promise<void> {
    try {
      await this.#o.gateway.connect();
      const defaults = await this.#o.gateway.request("sessions.list", { limit: 1 });
      this.#emit(channel, { type: "status", agent: "online", gateway: "ready", model: toModel(defaults) });
    } catch {
      this.#emit(channel, { type: "status", agent: "online", gateway: "unavailable" });
      this.#scheduleReconnect();
    }
  }

  #scheduleReconnect(): void {
    if (this.#retry || this.#channels.size === 0) return;
    this.#retry = setTimeout(async () => {
      this.#retry = undefined;
      if (this.#channels.size === 0 || this.#o.gateway.connected) return;
      try {
        await this.#o.gateway.connect();
        const defaults = await this.#o.gateway.request("sessions.list", { limit: 1 });
        this.#broadcast({ type: "status", agent: "online", gateway: "ready", model: toModel(defaults) });
      } catch {
        this.#scheduleReconnect();
      }
    }, RECONNECT_MS);
    this.#retry.unref();
  }

  #reply(channel: number, id: string, code: ChatErrorCode, message: string): void {
    this.#emit(channel, { type: "reply", id, ok: false, error: { code, message } });
  }

  #broadcast(frame: ChatServerMessage): void {
    if (this.#channels.size === 0) return;
    const json = JSON.stringify(frame);
    for (const channel of this.#channels.keys()) this.#deliver(channel, json);
  }

  #emit(channel: number, frame: ChatServerMessage): void {
    this.#deliver(channel, JSON.stringify(frame));
  }

  #deliver(channel: number, json: string): void {
    const c = this.#channels.get(channel);
    if (!c) return;
    if (!c.paused) {
      this.#o.send(channel, json);
      return;
    }
    c.queue.push(json);
    c.queuedBytes += json.length;
    if (c.queuedBytes > MAX_QUEUED_BYTES) {
      this.#channels.delete(channel);
      this.#o.log.warn("chat_channel_too_slow", { channel, queuedBytes: c.queuedBytes });
      this.#o.close(channel, "TOO_SLOW");
    }
  }
}
