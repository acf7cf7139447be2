// A loopback backend client of OpenClaw's gateway WebSocket (protocol v4): challenge → connect
// with the gateway token (backend mode gets its scopes only on loopback, which is where the agent
// is) → requests by id, events to listeners. Connected on first use, reconnected on demand after
// a drop; requests made while it is down fail fast instead of queueing (the chat shows the state).
import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import type { Logger } from "../log.ts";
import { AGENT_VERSION } from "../version.ts";

export interface GatewayEvent {
  event: string;
  payload: unknown;
}

export class GatewayError extends Error {
  override name = "GatewayError";
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

interface Pending {
  resolve(payload: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export interface GatewayClientOptions {
  url: string;
  token: string | undefined;
  log: Logger;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export class GatewayClient {
  readonly #opts: GatewayClientOptions;
  readonly #listeners = new Set<(e: GatewayEvent) => void>();
  readonly #stateListeners = new Set<(connected: boolean) => void>();
  readonly #pending = new Map<string, Pending>();
  #socket: WebSocket | undefined;
  #connecting: Promise<WebSocket> | undefined;
  #closed = false;

  constructor(opts: GatewayClientOptions) {
    this.#opts = opts;
  }

  get connected(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  onEvent(fn: (e: GatewayEvent) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  onConnectionChange(fn: (connected: boolean) => void): () => void {
    this.#stateListeners.add(fn);
    return () => this.#stateListeners.delete(fn);
  }

  /** Sends one request and resolves with its payload; rejects with the gateway's error. */
  async request<T = unknown>(method: string, params: Record<string, unknown>, timeoutMs?: number): Promise<T> {
    const ws = await this.connect();
    return this.#send<T>(ws, method, params, timeoutMs ?? this.#opts.requestTimeoutMs ?? 30_000);
  }

  connect(): Promise<WebSocket> {
    if (this.#closed) return Promise.reject(new GatewayError("GATEWAY_UNAVAILABLE", "the agent is stopping"));
    if (this.#socket?.readyState === WebSocket.OPEN) return Promise.resolve(this.#socket);
    this.#connecting ??= this.#open().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  close(): void {
    this.#closed = true;
    this.#socket?.close(1001, "agent stopping");
  }

  #send<T>(ws: WebSocket, method: string, params: Record<string, unknown>, timeoutMs: number): Promise<T> {
    const id = randomUUID();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new GatewayError("GATEWAY_TIMEOUT", `OpenClaw did not answer ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (p: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ type: "req", id, method, params }));
    });
  }

  #open(): Promise<WebSocket> {
    const { url, token, log } = this.#opts;
    const timeoutMs = this.#opts.connectTimeoutMs ?? 10_000;
    return new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url.replace(/^http/, "ws"), {
        perMessageDeflate: false,
        maxPayload: 32 * 1024 * 1024,
        handshakeTimeout: timeoutMs,
      });
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.terminate();
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new GatewayError("GATEWAY_UNAVAILABLE", "OpenClaw's gateway did not complete the handshake")),
        timeoutMs,
      );
      ws.on("error", (err) =>
        fail(
          new GatewayError(
            "GATEWAY_UNAVAILABLE",
            `OpenClaw's gateway is not reachable (${(err as NodeJS.ErrnoException).code ?? err.message})`,
          ),
        ),
      );
      ws.on("close", () => {
        if (this.#socket === ws) {
          this.#socket = undefined;
          for (const [id, p] of this.#pending) {
            clearTimeout(p.timer);
            p.reject(new GatewayError("GATEWAY_UNAVAILABLE", "the connection to OpenClaw's gateway closed"));
            this.#pending.delete(id);
          }
          for (const fn of this.#stateListeners) fn(false);
        }
        fail(new GatewayError("GATEWAY_UNAVAILABLE", "OpenClaw's gateway closed the connection during the handshake"));
      });
      ws.on("message", (data) => {
        let frame: {
          type?: string;
          id?: string;
          ok?: boolean;
          payload?: unknown;
          error?: { code?: string; message?: string };
          event?: string;
        };
        try {
          frame = JSON.parse(data.toString());
        } catch {
          return;
        }
        if (frame.type === "event" && frame.event === "connect.challenge" && !settled) {
          // The challenge's nonce only matters for device identities; backend mode answers with the token.
          this.#send(ws, "connect", connectParams(token), timeoutMs).then(
            () => {
              if (settled) return;
              settled = true;
              clearTimeout(timer);
              this.#socket = ws;
              log.info("gateway_connected");
              for (const fn of this.#stateListeners) fn(true);
              resolve(ws);
            },
            (err: Error) => fail(err),
          );
          return;
        }
        if (frame.type === "res" && frame.id) {
          const p = this.#pending.get(frame.id);
          if (!p) return;
          this.#pending.delete(frame.id);
          clearTimeout(p.timer);
          if (frame.ok) p.resolve(frame.payload);
          else
            p.reject(
              new GatewayError(
                String(frame.error?.code ?? "GATEWAY_ERROR"),
                String(frame.error?.message ?? "OpenClaw refused the request"),
              ),
            );
          return;
        }
        if (frame.type === "event" && typeof frame.event === "string") {
          for (const fn of this.#listeners) fn({ event: frame.event, payload: frame.payload });
        }
      });
    });
  }
}

function connectParams(token: string | undefined): Record<string, unknown> {
  return {
    minProtocol: 4,
    maxProtocol: 4,
    client: { id: "gateway-client", version: AGENT_VERSION, platform: "linux", mode: "backend" },
    role: "operator",
    scopes: ["operator.read", "operator.write"],
    caps: [],
    auth: token ? { token } : {},
    locale: "en-US",
    userAgent: `clawcloud-agent/${AGENT_VERSION}`,
  };
}
