// One agent's socket as the server uses it: relay channels (browser chats, proxied HTTP requests)
// multiplexed as binary frames, and commands that wait for their result. Channel payloads pass
// through unread. When the socket goes, every channel is told (the chat shows "offline" at once)
// and every waiting command fails.
import { randomUUID } from "node:crypto";
import { decodeRelayFrame, encodeRelayFrame, type RelayHead, RelayOp, type RelayOpCode, type RelayOpen } from "@clawcloud/contracts";
import { AppError } from "@clawcloud/core";
import type { WebSocket } from "ws";

export interface ChannelSink {
  head?(head: RelayHead): void;
  data(payload: Uint8Array): void;
  /** The channel ended: closed by the agent (with its reason) or the agent went away ("AGENT_OFFLINE"). */
  closed(reason: string): void;
}

/** An agent as the relay uses it, whether its socket is in this process or another replica's. */
export interface Link {
  readonly instanceId: string;
  readonly writable: boolean;
  open(sink: ChannelSink, open: RelayOpen): number;
  send(channel: number, payload: Uint8Array | string): void;
  pause(channel: number): void;
  resume(channel: number): void;
  close(channel: number): void;
  call(name: string, args: Record<string, unknown>, timeoutMs: number): Promise<unknown>;
}

interface PendingCall {
  resolve(data: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** Above this much unsent data towards the agent, new requests are refused instead of queued. */
export const AGENT_SEND_LIMIT = 4 * 1024 * 1024;
const decoder = new TextDecoder();

export class AgentLink implements Link {
  readonly instanceId: string;
  readonly socket: WebSocket;
  readonly #channels = new Map<number, ChannelSink>();
  readonly #calls = new Map<string, PendingCall>();
  #next = 1;
  #disposed = false;

  constructor(instanceId: string, socket: WebSocket) {
    this.instanceId = instanceId;
    this.socket = socket;
  }

  get channelCount(): number {
    return this.#channels.size;
  }

  /** Whether the socket towards the agent has room for more. */
  get writable(): boolean {
    return !this.#disposed && this.socket.bufferedAmount < AGENT_SEND_LIMIT;
  }

  open(sink: ChannelSink, open: RelayOpen): number {
    if (this.#disposed) {
      queueMicrotask(() => sink.closed("AGENT_OFFLINE"));
      return 0;
    }
    const channel = this.#next;
    this.#next = this.#next >= 0xfffffff0 ? 1 : this.#next + 1;
    this.#channels.set(channel, sink);
    this.#write(RelayOp.OPEN, channel, JSON.stringify(open));
    return channel;
  }

  send(channel: number, payload: Uint8Array | string): void {
    if (this.#channels.has(channel)) this.#write(RelayOp.DATA, channel, payload);
  }

  pause(channel: number): void {
    if (this.#channels.has(channel)) this.#write(RelayOp.PAUSE, channel);
  }

  resume(channel: number): void {
    if (this.#channels.has(channel)) this.#write(RelayOp.RESUME, channel);
  }

  /** Closes a channel from the server's side (the browser left); the sink is not called. */
  close(channel: number): void {
    if (this.#channels.delete(channel)) this.#write(RelayOp.CLOSE, channel);
  }

  /** A binary frame from the agent. */
  receive(data: Uint8Array): void {
    const frame = decodeRelayFrame(data);
    if (!frame) return;
    const sink = this.#channels.get(frame.channel);
    if (!sink) return;
    if (frame.op === RelayOp.DATA) sink.data(frame.payload);
    else if (frame.op === RelayOp.HEAD) {
      try {
        sink.head?.(JSON.parse(decoder.decode(frame.payload)) as RelayHead);
      } catch {
        this.#channels.delete(frame.channel);
        sink.closed("INVALID_RESPONSE");
      }
    } else if (frame.op === RelayOp.CLOSE) {
      this.#channels.delete(frame.channel);
      sink.closed(decoder.decode(frame.payload) || "CLOSED");
    }
  }

  /** Sends a command and waits for its result frame. */
  call(name: string, args: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    if (this.#disposed) return Promise.reject(new AppError("AGENT_OFFLINE", "The instance's agent is not connected."));
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#calls.delete(id);
        reject(new AppError("AGENT_TIMEOUT", "The instance's agent did not answer in time. Try again in a moment."));
      }, timeoutMs);
      this.#calls.set(id, { resolve, reject, timer });
      this.socket.send(JSON.stringify({ type: "command", id, name, args }));
    });
  }

  /** A command's result frame from the agent. */
  result(frame: { id: string; ok: boolean; data?: unknown; error?: { code: string; message: string } }): void {
    const call = this.#calls.get(frame.id);
    if (!call) return;
    this.#calls.delete(frame.id);
    clearTimeout(call.timer);
    if (frame.ok) call.resolve(frame.data);
    else call.reject(new AgentCommandError(frame.error?.code ?? "COMMAND_FAILED", frame.error?.message ?? "The agent could not do that."));
  }

  /** The socket is gone: tell every channel and every waiting command. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const sink of this.#channels.values()) sink.closed("AGENT_OFFLINE");
    this.#channels.clear();
    for (const call of this.#calls.values()) {
      clearTimeout(call.timer);
      call.reject(new AppError("AGENT_OFFLINE", "The instance's agent disconnected before it answered."));
    }
    this.#calls.clear();
  }

  #write(op: RelayOpCode, channel: number, payload?: Uint8Array | string): void {
    if (!this.#disposed) this.socket.send(encodeRelayFrame(op, channel, payload), { binary: true });
  }
}

/** A command the agent ran and reported as failed, with the agent's code and message. */
export class AgentCommandError extends Error {
  override name = "AgentCommandError";
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
