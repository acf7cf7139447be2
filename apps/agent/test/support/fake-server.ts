// A strict in-test Claw Cloud server for the agent: the register endpoint and the agent WebSocket,
// validating everything the agent sends against the protocol schemas.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AGENT_PROTOCOL, type AgentFrame, agentFrameSchema, type RegisterRequest, registerRequestSchema } from "@clawcloud/contracts";
import { type WebSocket, WebSocketServer } from "ws";
import { waitFor } from "./wait.ts";

export interface ReceivedFrame {
  connection: number;
  frame: AgentFrame;
}

export interface FakeServerOptions {
  heartbeatIntervalSec?: number;
  /** How an unknown credential is turned away: a 4401 close after the upgrade, or HTTP 401. */
  rejectWith?: "close-4401" | "http-401";
  /** Answer pings (false simulates a connection that silently died). */
  autoPong?: boolean;
}

export class FakeServer {
  readonly registrations: RegisterRequest[] = [];
  readonly frames: ReceivedFrame[] = [];
  /** Anything the agent sent that the protocol does not allow: tests expect this to stay empty. */
  readonly protocolViolations: string[] = [];
  readonly issuedCredentials: string[] = [];
  /** Registration attempts answered with 503 before the real answer. */
  registerFailuresLeft = 0;
  registerAttempts = 0;
  connections = 0;
  rejectedConnections = 0;
  heartbeatIntervalSec: number;
  welcomeInstanceId: string | undefined;
  current: WebSocket | undefined;

  readonly #tokens = new Map<string, string>(); // token → instanceId
  readonly #credentials = new Map<string, string>(); // credential → instanceId
  readonly #http: Server;
  readonly #wss: WebSocketServer;
  readonly #opts: FakeServerOptions;
  #url = "";

  private constructor(opts: FakeServerOptions) {
    this.#opts = opts;
    this.heartbeatIntervalSec = opts.heartbeatIntervalSec ?? 15;
    this.#wss = new WebSocketServer({
      noServer: true,
      autoPong: opts.autoPong ?? true,
      handleProtocols: (protocols) => (protocols.has(AGENT_PROTOCOL) ? AGENT_PROTOCOL : false),
    });
    this.#http = createServer((req, res) => {
      void this.#handleHttp(req).then(({ status, body }) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      });
    });
    this.#http.on("upgrade", (req, socket, head) => this.#handleUpgrade(req, socket, head));
  }

  static async start(opts: FakeServerOptions = {}): Promise<FakeServer> {
    const server = new FakeServer(opts);
    await new Promise<void>((resolve) => server.#http.listen(0, "127.0.0.1", resolve));
    server.#url = `http://127.0.0.1:${(server.#http.address() as AddressInfo).port}`;
    return server;
  }

  get url(): string {
    return this.#url;
  }

  issueToken(instanceId: string): string {
    const token = randomBytes(32).toString("base64url"); // 43 chars, ≥256 bits
    this.#tokens.set(token, instanceId);
    return token;
  }

  revokeAll(): void {
    this.#credentials.clear();
  }

  heartbeats(connection?: number) {
    return this.frames
      .filter((f) => connection === undefined || f.connection === connection)
      .flatMap((f) => (f.frame.type === "heartbeat" ? [f.frame] : []));
  }

  events() {
    return this.frames.flatMap((f) => (f.frame.type === "event" ? [f.frame] : []));
  }

  results() {
    return this.frames.flatMap((f) => (f.frame.type === "result" ? [f.frame] : []));
  }

  /** Sends raw text (or bytes) on the current agent socket. */
  sendRaw(data: string | Buffer): void {
    if (!this.current) throw new Error("no agent connected");
    this.current.send(data);
  }

  sendCommand(id: string, name: string, args: Record<string, unknown> = {}): void {
    this.sendRaw(JSON.stringify({ type: "command", id, name, args }));
  }

  async waitForConnection(n: number): Promise<WebSocket> {
    return waitFor(() => (this.connections >= n ? this.current : undefined), `agent connection #${n}`);
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  async #handleHttp(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname !== "/api/agent/v1/register" || req.method !== "POST") {
      return { status: 404, body: { error: { code: "NOT_FOUND", message: "not found" } } };
    }
    this.registerAttempts++;
    if (!String(req.headers["content-type"]).startsWith("application/json")) {
      this.protocolViolations.push("register without a JSON content type");
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.registerFailuresLeft > 0) {
      this.registerFailuresLeft--;
      return { status: 503, body: { error: { code: "UNAVAILABLE", message: "try again" } } };
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      this.protocolViolations.push("register body is not JSON");
      return { status: 400, body: { error: { code: "MALFORMED_JSON", message: "bad JSON" } } };
    }
    const parsed = registerRequestSchema.safeParse(json);
    if (!parsed.success) {
      this.protocolViolations.push(`register body invalid: ${parsed.error.message}`);
      return { status: 400, body: { error: { code: "VALIDATION_FAILED", message: "invalid" } } };
    }
    this.registrations.push(parsed.data);
    if (this.#tokens.get(parsed.data.token) !== parsed.data.instanceId) {
      return {
        status: 401,
        body: { error: { code: "INVALID_TOKEN", message: "The registration token is spent, expired or not for this instance." } },
      };
    }
    this.#tokens.delete(parsed.data.token); // single use
    const credential = randomBytes(32).toString("base64url");
    this.#credentials.set(credential, parsed.data.instanceId);
    this.issuedCredentials.push(credential);
    return { status: 200, body: { credential, heartbeatIntervalSec: this.heartbeatIntervalSec } };
  }

  #handleUpgrade(req: IncomingMessage, socket: import("node:stream").Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname !== "/api/agent/v1/connect") {
      this.protocolViolations.push(`upgrade on ${url.pathname}`);
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    const auth = req.headers.authorization ?? "";
    const credential = auth.startsWith("Bearer ") ? auth.slice("Bearer ".length) : undefined;
    const instanceId = credential ? this.#credentials.get(credential) : undefined;
    if (!credential) this.protocolViolations.push("upgrade without a bearer credential");
    if (!instanceId && this.#opts.rejectWith === "http-401") {
      this.rejectedConnections++;
      socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      if (ws.protocol !== AGENT_PROTOCOL) this.protocolViolations.push("upgrade without the agent subprotocol");
      if (!instanceId) {
        this.rejectedConnections++;
        ws.close(4401, "credential revoked");
        return;
      }
      this.connections++;
      const connection = this.connections;
      this.current = ws;
      ws.on("message", (data, isBinary) => {
        if (isBinary) return void this.protocolViolations.push("binary frame from agent");
        let json: unknown;
        try {
          json = JSON.parse(String(data));
        } catch {
          return void this.protocolViolations.push("non-JSON frame from agent");
        }
        const parsed = agentFrameSchema.safeParse(json);
        if (!parsed.success) return void this.protocolViolations.push(`invalid agent frame: ${parsed.error.message}`);
        this.frames.push({ connection, frame: parsed.data });
      });
      ws.on("close", () => {
        if (this.current === ws) this.current = undefined;
      });
      ws.send(
        JSON.stringify({
          type: "welcome",
          instanceId: this.welcomeInstanceId ?? instanceId,
          heartbeatIntervalSec: this.heartbeatIntervalSec,
        }),
      );
    });
  }
}
