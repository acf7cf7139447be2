// The one outbound WebSocket to the server. Connects with the agent credential, waits for
// `welcome`, heartbeats (one at once, then every N seconds), runs commands, and reconnects with
// backoff and jitter whenever the socket goes away. WebSocket pings every 25 s keep idle proxies
// from cutting the line and detect a dead one. Close code 4401 (credential revoked or invalid)
// ends the run: reconnecting cannot help and re-registering is impossible with a spent token.
import { AGENT_PROTOCOL, type AgentFrame, agentFrameSchema, type ServerFrame, serverFrameSchema } from "@clawcloud/contracts";
import WebSocket from "ws";
import { createBackoff, sleep } from "./backoff.ts";
import type { Dispatcher } from "./commands/index.ts";
import type { AgentConfig } from "./config.ts";
import type { HeartbeatSource } from "./heartbeat.ts";
import type { Logger } from "./log.ts";
import { describeError } from "./register.ts";
import { connectUrl } from "./server-urls.ts";

export const CLOSE_REVOKED = 4401;
export const CLOSE_REPLACED = 4409;
const CLOSE_NO_WELCOME = 4000;
const CLOSE_GOING_AWAY = 1001;
const CLOSE_POLICY = 1008;
const MAX_PAYLOAD = 16 * 1024 * 1024;
const OUTBOX_LIMIT = 1000;

export type ConnectionEnd = { kind: "revoked"; reason: string } | { kind: "fatal"; reason: string } | { kind: "stopped" };

type QueuedFrame = Extract<AgentFrame, { type: "event" | "result" }>;

interface SessionEnd {
  code: number;
  reason: string;
  httpStatus: number | undefined;
  welcomedAt: number | undefined;
  endedAt: number;
}

export interface ConnectionOptions {
  config: AgentConfig;
  credential: string;
  log: Logger;
  heartbeat: HeartbeatSource;
  dispatcher: Dispatcher;
  signal: AbortSignal;
  /** Relay frames (binary) from the server, and the end of the socket that carried them. */
  relay?: { handle(frame: Uint8Array): void; reset(): void };
  /** After each heartbeat handed to the socket (a self-update trial ends at the first). */
  onHeartbeatSent?: () => void;
}

export class AgentConnection {
  readonly #opts: ConnectionOptions;
  readonly #outbox: QueuedFrame[] = [];
  #socket: WebSocket | undefined;
  #welcomed = false;
  #seq = 0;
  #fatal: string | undefined;
  #connects = 0;

  constructor(opts: ConnectionOptions) {
    this.#opts = opts;
  }

  /** Connected and welcomed: frames go out at once instead of waiting in the outbox. */
  get connected(): boolean {
    return this.#welcomed && this.#socket?.readyState === WebSocket.OPEN;
  }

  /** Sends an event or a command result now, or as soon as the agent is connected again. */
  send(frame: QueuedFrame): void {
    if (this.connected && this.#socket) {
      this.#write(this.#socket, frame);
      return;
    }
    if (this.#outbox.length >= OUTBOX_LIMIT) {
      const dropped = this.#outbox.shift();
      this.#opts.log.warn("outbox_full", { dropped: dropped?.type });
    }
    this.#outbox.push(frame);
  }

  /** Sends a relay frame now; dropped when not connected (the server has closed its channels). */
  sendBinary(frame: Uint8Array): void {
    const ws = this.#socket;
    if (this.#welcomed && ws?.readyState === WebSocket.OPEN) ws.send(frame, { binary: true });
  }

  sendEvent(name: string, status: "start" | "ok" | "failed", message?: string): void {
    const frame: QueuedFrame = { type: "event", name: name.slice(0, 64), status };
    if (message !== undefined) frame.message = this.#opts.log.redact(message).slice(0, 500);
    this.send(frame);
  }

  /** Runs until the credential is revoked, a fatal mismatch occurs, or the signal aborts. */
  async run(): Promise<ConnectionEnd> {
    const { config, log, signal } = this.#opts;
    const { tuning } = config;
    const backoff = createBackoff({ minMs: tuning.reconnectMinDelayMs, maxMs: tuning.reconnectMaxDelayMs });
    while (!signal.aborted) {
      const end = await this.#session();
      if (signal.aborted) break;
      if (this.#fatal) return { kind: "fatal", reason: this.#fatal };
      if (end.code === CLOSE_REVOKED || end.httpStatus === 401) {
        return { kind: "revoked", reason: end.reason || "the server rejected the agent credential" };
      }
      if (end.welcomedAt !== undefined && end.endedAt - end.welcomedAt >= tuning.stableConnectionMs) backoff.reset();
      const delay = backoff.next();
      const fields = {
        code: end.code,
        reason: end.reason.slice(0, 123),
        httpStatus: end.httpStatus,
        retryInMs: delay,
        attempt: backoff.attempts,
      };
      if (end.code === CLOSE_REPLACED) log.warn("replaced_by_newer_connection", fields);
      else log.warn("disconnected", fields);
      await sleep(delay, signal);
    }
    return { kind: "stopped" };
  }

  #session(): Promise<SessionEnd> {
    const { config, log, signal } = this.#opts;
    const { tuning } = config;
    const url = connectUrl(config.serverUrl);
    this.#connects++;
    log.info("connecting", { url, connectNumber: this.#connects });

    return new Promise<SessionEnd>((resolve) => {
      const ws = new WebSocket(url, AGENT_PROTOCOL, {
        headers: { authorization: `Bearer ${this.#opts.credential}` },
        handshakeTimeout: tuning.handshakeTimeoutMs,
        perMessageDeflate: false,
        maxPayload: MAX_PAYLOAD,
        followRedirects: false,
      });
      this.#socket = ws;
      let httpStatus: number | undefined;
      let welcomedAt: number | undefined;
      let alive = true;
      let heartbeatTimer: NodeJS.Timeout | undefined;
      let beating = false;

      const welcomeTimer = setTimeout(() => {
        log.warn("no_welcome", { timeoutMs: tuning.welcomeTimeoutMs });
        ws.close(CLOSE_NO_WELCOME, "no welcome");
        setTimeout(() => ws.terminate(), 1000).unref();
      }, tuning.welcomeTimeoutMs + tuning.handshakeTimeoutMs);

      const keepalive = setInterval(() => {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (!alive) {
          log.warn("keepalive_timeout", { intervalMs: tuning.keepaliveIntervalMs });
          ws.terminate();
          return;
        }
        alive = false;
        ws.ping();
      }, tuning.keepaliveIntervalMs);

      const beat = async () => {
        if (beating) return; // a slow probe must not pile up heartbeats
        beating = true;
        try {
          const frame = await this.#opts.heartbeat.collect(this.#seq);
          if (ws.readyState !== WebSocket.OPEN) return;
          if (this.#write(ws, frame)) {
            this.#seq++;
            this.#opts.onHeartbeatSent?.();
          }
        } catch (err) {
          log.warn("heartbeat_failed", { error: describeError(err) });
        } finally {
          beating = false;
        }
      };

      const onWelcome = (frame: Extract<ServerFrame, { type: "welcome" }>) => {
        if (welcomedAt !== undefined) {
          log.warn("duplicate_welcome_ignored");
          return;
        }
        if (frame.instanceId !== config.instanceId) {
          this.#fatal = `the server welcomed instance ${frame.instanceId.slice(0, 40)}, but this agent is ${config.instanceId}`;
          ws.close(CLOSE_POLICY, "instance mismatch");
          return;
        }
        welcomedAt = Date.now();
        clearTimeout(welcomeTimer);
        this.#welcomed = true;
        const intervalSec = config.heartbeatIntervalSec ?? frame.heartbeatIntervalSec;
        log.info("connected", { heartbeatIntervalSec: intervalSec, queued: this.#outbox.length });
        for (const queued of this.#outbox.splice(0)) this.#write(ws, queued);
        void beat();
        heartbeatTimer = setInterval(() => void beat(), intervalSec * 1000);
      };

      const onCommand = (frame: Extract<ServerFrame, { type: "command" }>) => {
        if (welcomedAt === undefined) {
          log.warn("command_before_welcome_ignored", { id: frame.id, name: frame.name });
          return;
        }
        void this.#opts.dispatcher.dispatch(frame, { log, signal }).then((result) => this.send(result));
      };

      ws.on("unexpected-response", (_req, res) => {
        httpStatus = res.statusCode;
        res.resume();
        ws.terminate();
      });
      ws.on("open", () => log.info("socket_open"));
      ws.on("pong", () => {
        alive = true;
      });
      ws.on("message", (data, isBinary) => {
        alive = true;
        if (isBinary && welcomedAt !== undefined && this.#opts.relay) {
          this.#opts.relay.handle(Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]));
          return;
        }
        const frame = parseServerFrame(data, isBinary, log);
        if (frame?.type === "welcome") onWelcome(frame);
        else if (frame?.type === "command") onCommand(frame);
      });
      ws.on("error", (err) => {
        log.warn("socket_error", { error: describeError(err) });
      });
      ws.on("close", (code, reason) => {
        clearTimeout(welcomeTimer);
        clearInterval(keepalive);
        clearInterval(heartbeatTimer);
        signal.removeEventListener("abort", onAbort);
        this.#welcomed = false;
        if (this.#socket === ws) this.#socket = undefined;
        this.#opts.relay?.reset();
        resolve({ code, reason: reason.toString("utf8"), httpStatus, welcomedAt, endedAt: Date.now() });
      });

      const onAbort = () => {
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
        else ws.close(CLOSE_GOING_AWAY, "agent stopping");
        setTimeout(() => ws.terminate(), 2000).unref();
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  #write(ws: WebSocket, frame: AgentFrame): boolean {
    const checked = agentFrameSchema.safeParse(frame);
    if (!checked.success) {
      // A bug on our side: never send what the server would reject.
      this.#opts.log.error("outgoing_frame_invalid", { type: frame.type, issues: issueSummary(checked.error.issues) });
      return false;
    }
    ws.send(JSON.stringify(checked.data));
    return true;
  }
}

/** Validates one incoming frame; invalid ones are logged (shape only, never content) and dropped. */
export function parseServerFrame(data: WebSocket.RawData, isBinary: boolean, log: Logger): ServerFrame | undefined {
  if (isBinary) {
    log.warn("invalid_frame_ignored", { reason: "binary frame" });
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.concat(data as Buffer[]).toString("utf8"));
  } catch {
    log.warn("invalid_frame_ignored", { reason: "not JSON" });
    return undefined;
  }
  const parsed = serverFrameSchema.safeParse(json);
  if (!parsed.success) {
    const type = (json as { type?: unknown } | null)?.type;
    log.warn("invalid_frame_ignored", {
      reason: "schema",
      frameType: typeof type === "string" ? type.slice(0, 32) : undefined,
      issues: issueSummary(parsed.error.issues),
    });
    return undefined;
  }
  return parsed.data;
}

function issueSummary(issues: readonly { path: PropertyKey[]; code: string }[]): string[] {
  return issues.slice(0, 5).map((i) => `${i.path.map(String).join(".") || "(frame)"}: ${i.code}`);
}
