// Chat with a real OpenClaw, from outside a browser: deploy to this machine (real OpenClaw
// 2026.9.6 on Node 24, the real agent), set the model to a stub LLM by a key sealed to the agent,
// chat over the chat socket, use the OpenAI-compatible endpoint with the official `openai` client
// and a personal API token, and check who may not. Afterwards the server's log and a dump of its
// database hold neither the chat canaries nor the model key.
import { randomBytes, randomUUID } from "node:crypto";
import { PASSTHROUGH_ENV } from "@clawcloud/bootstrap";
import { seal } from "@clawcloud/contracts";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ChatClient } from "../test-support/chat-client.ts";
import { dumpDatabase, encodings } from "../test-support/dump.ts";
import { type StubLlm, startStubLlm } from "../test-support/stub-llm.ts";
import { ApiClient } from "./support/api-client.ts";
import { type E2eServer, startServer } from "./support/server.ts";

const canary = (label: string) => `${label}-${randomBytes(9).toString("hex")}`;
const MODEL_KEY = canary("sk-canary-model-key");
const CHAT_WORDS = [canary("chat-canary-socket"), canary("chat-canary-openai"), canary("chat-canary-stream")];

let server: E2eServer;
let stub: StubLlm;
let alice: ApiClient;
let instanceId: string;
let logs: string[] = [];

interface InstanceView {
  id: string;
  state: string;
  stateMessage: string | null;
  agentPublicKey: string | null;
  model: { model: string; api: string; host: string | null } | null;
}

const sealFor = (publicKey: string, secret: object) =>
  Buffer.from(seal(new TextEncoder().encode(JSON.stringify(secret)), Buffer.from(publicKey, "base64"))).toString("base64");

beforeAll(async () => {
  const network = Object.fromEntries(PASSTHROUGH_ENV.flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : [])));
  [server, stub] = await Promise.all([startServer(network), startStubLlm({ apiKey: MODEL_KEY })]);
  alice = new ApiClient(server.url);
  await alice.signUp({ name: "Ada Lovelace", email: `ada-${Date.now()}@example.com`, password: "analytical-engine-1843" });
  const started = Date.now();
  instanceId = (await alice.json<{ id: string }>("POST", "/api/v1/instances", { name: "chat test", provider: "local" })).id;
  const deadline = Date.now() + 480_000;
  for (;;) {
    const now = await alice.json<InstanceView>("GET", `/api/v1/instances/${instanceId}`);
    if (now.state === "ready") break;
    if (now.state === "failed") throw new Error(`the local deploy failed: ${now.stateMessage}`);
    if (Date.now() > deadline) throw new Error(`not ready after 8 minutes: ${now.state}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(`chat api e2e: deploy → ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 600_000);

afterAll(async () => {
  await stub?.close();
  if (server) {
    logs = server.logs();
    await server.stop({ keepData: true });
  }
});

describe("the model key, sealed to the agent", () => {
  test("a wrong key is tested, refused with the provider's reason and not applied", { timeout: 120_000 }, async () => {
    const { agentPublicKey } = await alice.json<InstanceView>("GET", `/api/v1/instances/${instanceId}`);
    expect(agentPublicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const res = await alice.json<{ applied: boolean; check: { ok: boolean; errorKind?: string; message?: string } }>(
      "PUT",
      `/api/v1/instances/${instanceId}/model`,
      {
        sealed: sealFor(agentPublicKey as string, { baseUrl: stub.baseUrl, apiKey: "sk-wrong-key-123456", model: "stub-echo" }),
      },
    );
    expect(res.applied).toBe(false);
    expect(res.check).toMatchObject({ ok: false, errorKind: "auth" });
    expect(res.check.message).toMatch(/Incorrect API key/);
  });

  test("garbage instead of a sealed box is a 400, not a crash", async () => {
    const res = await alice.request("PUT", `/api/v1/instances/${instanceId}/model`, { sealed: Buffer.alloc(80, 7).toString("base64") });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("SEALED_BOX_INVALID");
  });

  test("the right key is tested, applied, and the instance shows the model (never the key)", { timeout: 120_000 }, async () => {
    const { agentPublicKey } = await alice.json<InstanceView>("GET", `/api/v1/instances/${instanceId}`);
    const res = await alice.json<{ applied: boolean; check: { ok: boolean }; model: InstanceView["model"] }>(
      "PUT",
      `/api/v1/instances/${instanceId}/model`,
      {
        sealed: sealFor(agentPublicKey as string, { baseUrl: stub.baseUrl, apiKey: MODEL_KEY, model: "stub-echo" }),
      },
    );
    expect(res).toMatchObject({ applied: true, check: { ok: true }, model: { model: "stub-echo", api: "openai-completions" } });
    const view = await alice.json<InstanceView>("GET", `/api/v1/instances/${instanceId}`);
    expect(view.model?.model).toBe("stub-echo");
    expect(JSON.stringify(view)).not.toContain(MODEL_KEY);
  });
});

describe("the chat socket", () => {
  test("a streamed answer from OpenClaw, then the conversation is listed with its history", { timeout: 180_000 }, async () => {
    const chat = await ChatClient.connect(server.url, instanceId, { cookie: alice.cookieHeader });
    const status = await chat.next((m) => m.type === "status" && m.gateway === "ready", 60_000);
    expect(status).toMatchObject({ type: "status", agent: "online", model: { provider: "clawcloud", model: "stub-echo" } });
    const sessionKey = `agent:main:e2e-${randomUUID().slice(0, 8)}`;
    const runId = randomUUID();
    const sent = Date.now();
    const reply = await chat.request({ op: "send", sessionKey, text: `Hello ${CHAT_WORDS[0]}`, runId });
    expect(reply).toMatchObject({ ok: true, result: { runId } });
    const first = await chat.next((m) => m.type === "chat" && m.runId === runId && m.state === "delta", 120_000);
    console.log(`chat api e2e: send → first token in ${Date.now() - sent} ms`);
    expect(first.type).toBe("chat");
    const final = await chat.next((m) => m.type === "chat" && m.runId === runId && (m.state === "final" || m.state === "error"), 120_000);
    expect(final).toMatchObject({ state: "final", text: `ECHO: Hello ${CHAT_WORDS[0]}` });

    const history = await chat.request({ op: "history", sessionKey });
    const messages = (history.result as { messages: { role: string; text: string }[] }).messages;
    expect(messages.map((m) => [m.role, m.text])).toEqual([
      ["user", `Hello ${CHAT_WORDS[0]}`],
      ["assistant", `ECHO: Hello ${CHAT_WORDS[0]}`],
    ]);
    const list = await chat.request({ op: "sessions.list" });
    expect((list.result as { sessions: { key: string }[] }).sessions.map((s) => s.key)).toContain(sessionKey);
    const bad = await chat.request({ op: "send", sessionKey: "no spaces allowed", text: "x", runId: randomUUID() });
    expect(bad).toMatchObject({ ok: false, error: { code: "INVALID_REQUEST" } });
    chat.close();
  });

  test("another person, a forged session and a foreign page are refused", async () => {
    const bob = new ApiClient(server.url);
    await bob.signUp({ name: "Bob", email: `bob-${Date.now()}@example.com`, password: "not-alices-password-9" });
    const asBob = await ChatClient.connect(server.url, instanceId, { cookie: bob.cookieHeader });
    expect(await asBob.closedWith()).toBe(4404);
    const forged = await ChatClient.connect(server.url, instanceId, { cookie: "better-auth.session_token=forged.value" });
    expect(await forged.closedWith()).toBe(4401);
    await expect(
      ChatClient.connect(server.url, instanceId, { cookie: alice.cookieHeader, origin: "https://evil.example" }),
    ).rejects.toThrow(/HTTP 403/);
    // Bob's own API token does not reach Alice's instance either.
    const { token } = await bob.json<{ token: string }>("POST", "/api/v1/api-tokens", { name: "bob's" });
    const res = await fetch(`${server.url}/api/v1/instances/${instanceId}/openai/v1/models`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(404);
  });
});

describe("the OpenAI-compatible endpoint", () => {
  test("the official openai client, with a personal API token: plain, streamed, and a kept conversation", {
    timeout: 180_000,
  }, async () => {
    const created = await alice.json<{ id: string; token: string }>("POST", "/api/v1/api-tokens", { name: "e2e" });
    expect(created.token).toMatch(/^cc_pat_/);
    const client = new OpenAI({ apiKey: created.token, baseURL: `${server.url}/api/v1/instances/${instanceId}/openai/v1`, maxRetries: 0 });

    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain("openclaw/default");

    const plain = await client.chat.completions.create({
      model: "openclaw/default",
      user: "e2e-conversation",
      messages: [{ role: "user", content: CHAT_WORDS[1] as string }],
    });
    expect(plain.choices[0]?.message.content).toBe(`ECHO: ${CHAT_WORDS[1]}`);

    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      stream: true,
      user: "e2e-conversation",
      messages: [{ role: "user", content: CHAT_WORDS[2] as string }],
    });
    let text = "";
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta?.content ?? "";
    }
    expect(chunks).toBeGreaterThan(1);
    expect(text).toBe(`ECHO: ${CHAT_WORDS[2]}`);

    // Revoked: refused at once.
    await alice.json("DELETE", `/api/v1/api-tokens/${created.id}`);
    await expect(client.models.list()).rejects.toMatchObject({ status: 401 });
  });
});

describe("privacy", () => {
  test("the server's log and database hold no chat canary and no model key", { timeout: 120_000 }, async () => {
    await server.stop({ keepData: true });
    logs = server.logs();
    const dump = await dumpDatabase({ dataDir: server.dataDir, databaseUrl: undefined } as never);
    server.remove();
    expect(dump.length).toBeGreaterThan(1000);
    for (const secret of [MODEL_KEY, ...CHAT_WORDS]) {
      for (const form of encodings(secret)) {
        expect(logs.filter((l) => l.includes(form))).toEqual([]);
        expect(dump.includes(form)).toBe(false);
      }
    }
    // The metadata that may be kept is there: the chat socket's counts.
    expect(logs.some((l) => l.includes('"msg":"chat socket closed"') && l.includes('"framesIn"'))).toBe(true);
  });
});
