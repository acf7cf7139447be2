// A stand-in for OpenClaw's gateway in relay tests, speaking the subset of its protocol v4 the
// agent uses (verified against OpenClaw 2026.9.6, see /work/shared/research/openclaw.md §4–6):
// health probes, the WebSocket challenge → connect → requests and `chat` events, and the
// OpenAI-compatible /v1 endpoints. The end-to-end tests run the real OpenClaw; this one lets the
// relay's own behaviour (offline, reconnect, backpressure, replicas) be tested in seconds.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

export interface FakeOpenclaw {
  url: string;
  token: string;
  /** Sends a burst of `chat` delta events of `bytes` each to every connection (backpressure tests). */
  flood(count: number, bytes: number): void;
  /** Drops every connection, as a gateway restart does; new ones are accepted at once. */
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startFakeOpenclaw(token = "fake-gateway-token-0123456789"): Promise<FakeOpenclaw> {
  const transcripts = new Map<string, { role: string; content: string; timestamp: number }[]>();
  const server: Server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.url === "/healthz" || req.url === "/readyz") return json(200, { ok: true, ready: true });
    if (req.url === "/startupz") return json(200, { ok: true, status: "started", version: "2026.9.6" });
    if (req.headers.authorization !== `Bearer ${token}`) return json(401, { error: { message: "unauthorized" } });
    if (req.url === "/v1/models") return json(200, { object: "list", data: [{ id: "openclaw" }, { id: "openclaw/default" }] });
    if (req.url === "/v1/chat/completions" && req.method === "POST") {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        const r = JSON.parse(body) as { stream?: boolean; messages: { content: string }[] };
        const text = `ECHO: ${r.messages.at(-1)?.content ?? ""}`;
        if (!r.stream)
          return json(200, {
            object: "chat.completion",
            choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
          });
        res.writeHead(200, { "content-type": "text/event-stream" });
        for (const word of text.split(" "))
          res.write(
            `data: ${JSON.stringify({ object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: `${word} ` } }] })}\n\n`,
          );
        res.end("data: [DONE]\n\n");
      });
      return;
    }
    json(404, { error: { message: "not found" } });
  });
  const wss = new WebSocketServer({ server });
  const sockets = new Set<WebSocket>();
  // Connections that asked for `sessions.changed` events (OpenClaw sends them only to subscribers).
  const subscribed = new WeakSet<WebSocket>();
  wss.on("connection", (ws) => {
    let authed = false;
    sockets.add(ws);
    ws.on("close", () => sockets.delete(ws));
    ws.send(JSON.stringify({ type: "event", event: "connect.challenge", payload: { nonce: "n", ts: Date.now() } }));
    const event = (payload: unknown) => ws.send(JSON.stringify({ type: "event", event: "chat", payload }));
    ws.on("message", (data) => {
      const req = JSON.parse(data.toString()) as { id: string; method: string; params: Record<string, unknown> };
      const ok = (payload: unknown) => ws.send(JSON.stringify({ type: "res", id: req.id, ok: true, payload }));
      const fail = (code: string, message: string) =>
        ws.send(JSON.stringify({ type: "res", id: req.id, ok: false, error: { code, message } }));
      if (req.method === "connect") {
        if ((req.params.auth as { token?: string } | undefined)?.token !== token) return fail("UNAUTHORIZED", "bad token");
        authed = true;
        return ok({ type: "hello-ok", protocol: 4, server: { version: "2026.9.6" } });
      }
      if (!authed) return fail("UNAUTHORIZED", "connect first");
      const defaults = { modelProvider: "clawcloud", model: "stub-echo" };
      switch (req.method) {
        case "sessions.subscribe":
          subscribed.add(ws);
          return ok({});
        case "sessions.list":
          return ok({
            defaults,
            sessions: [...transcripts.keys()].map((key) => ({ key, updatedAt: Date.now(), lastMessage: transcripts.get(key)?.at(-1) })),
          });
        case "chat.history":
          return ok({ messages: transcripts.get(String(req.params.sessionKey)) ?? [] });
        case "sessions.delete":
          transcripts.delete(String(req.params.key));
          return ok({});
        case "chat.abort":
          return ok({ aborted: true });
        case "chat.send": {
          const sessionKey = String(req.params.sessionKey);
          const runId = String(req.params.idempotencyKey);
          const message = String(req.params.message);
          const t = transcripts.get(sessionKey) ?? [];
          transcripts.set(sessionKey, t);
          t.push({ role: "user", content: message, timestamp: Date.now() });
          ok({ runId, status: "started" });
          const reply = `ECHO: ${message}`;
          event({ runId, sessionKey, state: "status", phase: "starting_model" });
          event({
            runId,
            sessionKey,
            state: "delta",
            deltaText: "ECHO:",
            message: { role: "assistant", content: [{ type: "text", text: "ECHO:" }] },
          });
          event({ runId, sessionKey, state: "final", message: { role: "assistant", content: [{ type: "text", text: reply }] } });
          t.push({ role: "assistant", content: reply, timestamp: Date.now() });
          for (const other of sockets)
            if (subscribed.has(other)) other.send(JSON.stringify({ type: "event", event: "sessions.changed", payload: { sessionKey } }));
          return;
        }
        default:
          return fail("INVALID_REQUEST", `unknown method ${req.method}`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    flood(count, bytes) {
      const text = "x".repeat(bytes);
      const frame = JSON.stringify({
        type: "event",
        event: "chat",
        payload: {
          runId: "flood",
          sessionKey: "agent:main:flood",
          state: "delta",
          message: { role: "assistant", content: [{ type: "text", text }] },
        },
      });
      for (const ws of sockets) for (let i = 0; i < count; i++) ws.send(frame);
    },
    dropConnections() {
      for (const ws of sockets) ws.terminate();
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
