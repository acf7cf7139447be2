// The browser's chat socket: `GET /api/v1/instances/{id}/chat` upgraded to a WebSocket
// (subprotocol clawcloud-chat.v1), authorised by the session cookie and the instance's workspace,
// with the Origin checked against the public URL (no cross-site socket hijacking). Frames are
// relayed to the instance's agent on a channel of its socket and back, unread and unstored: only
// counts and times are logged. The browser hears "offline" at once when there is no agent, and
// "online" again when the agent reconnects.
import { CHAT_PROTOCOL, type ChatServerMessage } from "@clawcloud/contracts";
import { AppError, type Core } from "@clawcloud/core";
import { upgradeWebSocket } from "@hono/node-server";
import type { Hono } from "hono";
import type { WebSocket } from "ws";
import type { Link } from "../agent-gateway/agent-link.ts";
import type { AgentConnections } from "../agent-gateway/connections.ts";
import type { AppEnv } from "../http/env.ts";
import { type Keepalive, PAUSE_ABOVE } from "./keepalive.ts";

export const CHAT_PATH = "/api/v1/instances/:id/chat";
/** The largest frame a browser may send (a 32,000-character message fits with room to spare). */
export const MAX_CLIENT_FRAME = 256 * 1024;

export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_NOT_FOUND = 4404;
export const CLOSE_TOO_SLOW = 4408;

type Rejection = { code: number; reason: string };

export function mountChatSocket(app: Hono<AppEnv>, core: Core, agents: AgentConnections, keepalive: Keepalive, publicOrigin: string): void {
  app.get(
    CHAT_PATH,
    async (c, next) => {
      const origin = c.req.header("origin");
      if (origin !== undefined && origin !== publicOrigin)
        throw new AppError("CSRF_REJECTED", "This chat socket only accepts connections from the Claw Cloud web app.");
      if (c.req.header("upgrade")?.toLowerCase() !== "websocket")
        throw new AppError("VALIDATION_FAILED", "This address is a WebSocket: connect with the clawcloud-chat.v1 subprotocol.");
      // Refusals happen after the upgrade, as close codes a browser can read (an HTTP error is opaque to it).
      let rejection: Rejection | undefined;
      try {
        const actor = await core.authenticate(c.req.raw.headers);
        await core.instances.get(actor, c.req.param("id"));
        c.set("actor", actor);
      } catch (err) {
        if (err instanceof AppError && err.code === "NOT_FOUND") rejection = { code: CLOSE_NOT_FOUND, reason: "no such instance" };
        else if (err instanceof AppError && err.code === "UNAUTHENTICATED")
          rejection = { code: CLOSE_UNAUTHENTICATED, reason: "sign in to continue" };
        else throw err;
      }
      c.set("chatRejection" as never, rejection as never);
      return next();
    },
    upgradeWebSocket((c) => {
      const rejection = c.get("chatRejection" as never) as Rejection | undefined;
      const instanceId = c.req.param("id") ?? "";
      const userId = rejection ? undefined : c.get("actor").userId;
      const log = c.get("log").child({ instanceId, userId });
      return {
        onOpen(_evt, ws) {
          const socket = ws.raw as WebSocket;
          if (rejection) return socket.close(rejection.code, rejection.reason);
          if (ws.protocol !== CHAT_PROTOCOL) return socket.close(1002, `use the ${CHAT_PROTOCOL} subprotocol`);
          new ChatBridge(socket, instanceId, agents, keepalive, log).start();
        },
      };
    }),
  );
}

const encoder = new TextEncoder();

/** One browser socket joined to its instance's agent. */
class ChatBridge {
  readonly #socket: WebSocket;
  readonly #instanceId: string;
  readonly #agents: AgentConnections;
  readonly #keepalive: Keepalive;
  readonly #log: AppEnv["Variables"]["log"];
  #link: Link | undefined;
  #channel = 0;
  #paused = false;
  #unwatch: (() => void) | undefined;
  readonly #stats = { framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, opened: Date.now() };

  constructor(socket: WebSocket, instanceId: string, agents: AgentConnections, keepalive: Keepalive, log: AppEnv["Variables"]["log"]) {
    this.#socket = socket;
    this.#instanceId = instanceId;
    this.#agents = agents;
    this.#keepalive = keepalive;
    this.#log = log;
  }

  start(): void {
    const socket = this.#socket;
    this.#keepalive.add(socket);
    socket.on("message", (data: Buffer, isBinary: boolean) => this.#fromBrowser(data, isBinary));
    socket.on("close", () => this.#end());
    this.#unwatch = this.#agents.watch(this.#instanceId, (link) => this.#attach(link));
    void this.#agents.resolve(this.#instanceId).then(
      (link) => {
        // A watcher may have attached a fresher link meanwhile.
        if (!this.#link && socket.readyState === socket.OPEN) this.#attach(link);
      },
      () => this.#attach(undefined),
    );
  }

  #attach(link: Link | undefined): void {
    if (this.#link && this.#link !== link && this.#channel) this.#link.close(this.#channel);
    this.#link = link;
    this.#channel = 0;
    this.#paused = false;
    if (!link) {
      this.#sendJson({ type: "status", agent: "offline" });
      return;
    }
    // The agent answers the opening with its own status (gateway reachable, the model in use).
    this.#channel = link.open(
      {
        data: (payload) => this.#toBrowser(payload),
        closed: (reason) => this.#channelClosed(link, reason),
      },
      { kind: "chat" },
    );
  }

  #channelClosed(link: Link, reason: string): void {
    if (this.#link !== link) return;
    this.#channel = 0;
    if (reason === "AGENT_OFFLINE") return; // the watcher reports it
    if (reason === "TOO_SLOW") {
      this.#socket.close(CLOSE_TOO_SLOW, "the connection is too slow; reconnect");
      return;
    }
    this.#socket.close(1011, "the instance closed the chat; reconnect");
  }

  #fromBrowser(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      this.#socket.close(1003, "send JSON text frames");
      return;
    }
    if (data.byteLength > MAX_CLIENT_FRAME) {
      this.#socket.close(1009, "frame too large");
      return;
    }
    this.#stats.framesIn++;
    this.#stats.bytesIn += data.byteLength;
    const link = this.#link;
    if (!link || !this.#channel) {
      this.#refuse(data, "AGENT_OFFLINE", "Your assistant's server is not connected right now. It reconnects by itself.");
      return;
    }
    if (!link.writable) {
      this.#refuse(data, "TOO_SLOW", "Your assistant's server is busy; try again in a moment.");
      return;
    }
    link.send(this.#channel, data);
  }

  #toBrowser(payload: Uint8Array): void {
    const socket = this.#socket;
    if (socket.readyState !== socket.OPEN) return;
    this.#stats.framesOut++;
    this.#stats.bytesOut += payload.byteLength;
    socket.send(payload, { binary: false });
    // A slow browser: ask the agent to hold this channel's frames instead of queueing them here.
    const link = this.#link;
    const channel = this.#channel;
    if (!this.#paused && socket.bufferedAmount > PAUSE_ABOVE && link && channel) {
      this.#paused = true;
      link.pause(channel);
      this.#keepalive.whenDrained(socket, () => {
        if (this.#link !== link || this.#channel !== channel) return;
        this.#paused = false;
        link.resume(channel);
      });
    }
  }

  /** Answers a request the agent cannot get, by its id (read from the frame, nothing else). */
  #refuse(data: Buffer, code: "AGENT_OFFLINE" | "TOO_SLOW", message: string): void {
    let id = "?";
    try {
      const parsed = JSON.parse(data.toString("utf8")) as { id?: unknown };
      if (typeof parsed.id === "string") id = parsed.id.slice(0, 64);
    } catch {
      // not JSON: answered with id "?"
    }
    this.#sendJson({ type: "reply", id, ok: false, error: { code, message } });
  }

  #sendJson(frame: ChatServerMessage): void {
    if (this.#socket.readyState === this.#socket.OPEN) this.#socket.send(encoder.encode(JSON.stringify(frame)), { binary: false });
  }

  #end(): void {
    this.#keepalive.remove(this.#socket);
    this.#unwatch?.();
    if (this.#link && this.#channel) this.#link.close(this.#channel);
    this.#link = undefined;
    const s = this.#stats;
    this.#log.info(
      { framesIn: s.framesIn, framesOut: s.framesOut, bytesIn: s.bytesIn, bytesOut: s.bytesOut, ms: Date.now() - s.opened },
      "chat socket closed",
    );
  }
}
