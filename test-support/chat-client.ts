// A chat-protocol client for tests and benchmarks: opens the chat socket like the web app does
// (session cookie, the app's Origin, the clawcloud-chat.v1 subprotocol), sends requests by id
// and collects the server's messages.
import { randomUUID } from "node:crypto";
import { CHAT_PROTOCOL, type ChatServerMessage } from "@clawcloud/contracts";
import WebSocket from "ws";

export class ChatClient {
  readonly socket: WebSocket;
  readonly messages: ChatServerMessage[] = [];
  readonly #waiters = new Set<{ test: (m: ChatServerMessage) => boolean; resolve: (m: ChatServerMessage) => void }>();
  closed: { code: number; reason: string } | undefined;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on("message", (data) => {
      const m = JSON.parse(data.toString()) as ChatServerMessage;
      this.messages.push(m);
      for (const w of this.#waiters) {
        if (w.test(m)) {
          this.#waiters.delete(w);
          w.resolve(m);
        }
      }
    });
    socket.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
  }

  /** Connects; resolves once open (or rejects with the HTTP status of a refused upgrade). */
  static connect(baseUrl: string, instanceId: string, opts: { cookie?: string; origin?: string } = {}): Promise<ChatClient> {
    const url = `${baseUrl.replace(/^http/, "ws")}/api/v1/instances/${instanceId}/chat`;
    const headers: Record<string, string> = { origin: opts.origin ?? baseUrl };
    if (opts.cookie) headers.cookie = opts.cookie;
    const socket = new WebSocket(url, CHAT_PROTOCOL, { headers, perMessageDeflate: false });
    const client = new ChatClient(socket);
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(client));
      socket.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      socket.once("error", reject);
    });
  }

  /** The next message (already received or to come) that passes `test`. */
  next(test: (m: ChatServerMessage) => boolean, timeoutMs = 60_000): Promise<ChatServerMessage> {
    const seen = this.messages.find(test);
    if (seen) {
      this.messages.splice(this.messages.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`no matching chat message within ${timeoutMs} ms; got: ${JSON.stringify(this.messages.slice(-5))}`));
      }, timeoutMs);
      const waiter = {
        test,
        resolve: (m: ChatServerMessage) => {
          clearTimeout(timer);
          this.messages.splice(this.messages.indexOf(m), 1);
          resolve(m);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** Sends a request and waits for its reply. */
  async request(req: Record<string, unknown>, timeoutMs = 60_000): Promise<Extract<ChatServerMessage, { type: "reply" }>> {
    const id = randomUUID();
    this.socket.send(JSON.stringify({ id, ...req }));
    return (await this.next((m) => m.type === "reply" && m.id === id, timeoutMs)) as Extract<ChatServerMessage, { type: "reply" }>;
  }

  /** Resolves with the close code once the server closes the socket. */
  closedWith(timeoutMs = 10_000): Promise<number> {
    if (this.closed) return Promise.resolve(this.closed.code);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the socket stayed open")), timeoutMs);
      this.socket.once("close", (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}
