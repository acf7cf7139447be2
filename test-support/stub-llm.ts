// A deterministic OpenAI-compatible model server for tests: the one third party a chat test may
// fake. `POST /v1/chat/completions` answers "ECHO: <the user's last words>" (streamed as SSE in a
// few chunks, or as one JSON body), `GET /v1/models` lists one model. OpenClaw wraps each user
// turn in a timestamp prefix and a runtime footer and adds an internal-context message; the stub
// looks past those so the echo is the text the person typed. Requests with the wrong bearer key
// get the provider's 401; a model named "rate-limited" gets a 429. Every request is counted (never
// logged: chat tests plant canaries).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface StubLlm {
  url: string;
  /** The base URL an OpenAI-compatible client is configured with: `<url>/v1`. */
  baseUrl: string;
  requests: { path: string; model: string | undefined; stream: boolean }[];
  close(): Promise<void>;
}

interface ChatMessage {
  role: string;
  content: unknown;
}

export async function startStubLlm(opts: { apiKey: string; model?: string; chunkDelayMs?: number }): Promise<StubLlm> {
  const model = opts.model ?? "stub-echo";
  const requests: StubLlm["requests"] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readJson(req);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(json));
    };
    if (req.headers.authorization !== `Bearer ${opts.apiKey}` && req.headers["x-api-key"] !== opts.apiKey) {
      requests.push({ path, model: undefined, stream: false });
      return send(401, { error: { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key" } });
    }
    if (req.method === "GET" && path.endsWith("/models")) {
      requests.push({ path, model: undefined, stream: false });
      return send(200, { object: "list", data: [{ id: model, object: "model", created: 0, owned_by: "stub" }] });
    }
    if (req.method !== "POST" || !path.endsWith("/chat/completions")) return send(404, { error: { message: "not found" } });
    const b = (body ?? {}) as { model?: string; stream?: boolean; messages?: ChatMessage[] };
    requests.push({ path, model: b.model, stream: b.stream === true });
    if (b.model === "rate-limited") {
      res.setHeader("retry-after", "7");
      return send(429, { error: { message: "Rate limit reached for requests", type: "rate_limit_error" } });
    }
    if (b.model !== model) return send(404, { error: { message: `The model '${b.model}' does not exist`, type: "invalid_request_error" } });
    const reply = `ECHO: ${lastUserText(b.messages ?? [])}`;
    const id = `chatcmpl-stub-${requests.length}`;
    const usage = { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 };
    if (!b.stream) {
      return send(200, {
        id,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop" }],
        usage,
      });
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const chunk = (delta: object, finish: string | null) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(chunk({ role: "assistant" }, null));
    for (const piece of reply.match(/\S+\s*/g) ?? [reply]) {
      if (opts.chunkDelayMs) await new Promise((r) => setTimeout(r, opts.chunkDelayMs));
      res.write(chunk({ content: piece }, null));
    }
    res.write(chunk({}, "stop"));
    res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 0, model, choices: [], usage })}\n\n`);
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    return chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
  } catch {
    return undefined;
  }
}

/** The text of the last user message that is not OpenClaw's internal context, unwrapped. */
function lastUserText(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== "user") continue;
    const text =
      typeof m.content === "string"
        ? m.content
        : Array.isArray(m.content)
          ? m.content.map((p: { text?: string }) => p.text ?? "").join("")
          : "";
    if (text.includes("<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>")) continue;
    // "[Wed 2026-11-25 16:47 UTC] <text>\n\nRuntime: …" → "<text>"
    return text
      .replace(/^\[[^\]]*\]\s*/, "")
      .replace(/\n\nRuntime:[\s\S]*$/, "")
      .trim();
  }
  return "";
}
