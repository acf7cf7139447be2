// The chat relay on the server side, with the real agent bundle and a stand-in for OpenClaw's
// gateway: the browser hears "offline" at once and "online" when the agent (re)connects, requests
// and streamed events pass through, a slow browser is paused and then cut off instead of growing
// memory, and — on PostgreSQL, where several replicas can share the database — a chat opened on
// one replica reaches the agent held by another.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DigitalOceanSimulator, startDigitalOceanSimulator } from "../../../packages/providers/test/simulator/digitalocean.ts";
import { ChatClient } from "../../../test-support/chat-client.ts";
import { testDatabaseKind } from "../../../test-support/database.ts";
import { type FakeOpenclaw, startFakeOpenclaw } from "../../../test-support/fake-openclaw.ts";
import { deployUntilAgent, verifiedUserWithAccount } from "../../../test-support/simulated-deploy.ts";
import { PUBLIC_URL, startTestApp, type TestApp, type TestClient, uniqueEmail } from "../../../test-support/test-app.ts";

const agentBundle = join(import.meta.dirname, "..", "..", "agent", "dist", "clawcloud-agent.js");

let sim: DigitalOceanSimulator;
let t: TestApp;
let gateway: FakeOpenclaw;
let c: TestClient;
let instanceId: string;
let agentConfig: string;
let agent: ChildProcess | undefined;

const cookie = () => [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
const connect = (app: TestApp = t) => ChatClient.connect(app.url, instanceId, { cookie: cookie(), origin: PUBLIC_URL });

function startAgent(): void {
  agent = spawn(process.execPath, [agentBundle, "--config", agentConfig], { stdio: "ignore" });
}

async function stopAgent(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  const a = agent;
  agent = undefined;
  if (!a || a.exitCode !== null) return;
  const exited = new Promise((r) => a.once("exit", r));
  a.kill(signal);
  await exited;
}

beforeAll(async () => {
  sim = await startDigitalOceanSimulator({ rateLimits: false });
  gateway = await startFakeOpenclaw();
  t = await startTestApp({ env: { CLAWCLOUD_DIGITALOCEAN_API_URL: sim.url, CLAWCLOUD_AGENT_URL: "https://agents.clawcloud.test" } });
  const user = await verifiedUserWithAccount(t, uniqueEmail("relay"));
  c = user.c;
  const deployed = await deployUntilAgent(c, sim, user.credentialId, "relay");
  instanceId = deployed.instanceId;
  const token = deployed.token;
  const dir = mkdtempSync(join(tmpdir(), "cc-relay-agent-"));
  agentConfig = join(dir, "config.json");
  writeFileSync(
    agentConfig,
    JSON.stringify({
      serverUrl: t.url,
      instanceId,
      registrationToken: token,
      stateDir: join(dir, "state"),
      gatewayUrl: gateway.url,
      gatewayToken: gateway.token,
      tuning: { reconnectMinDelayMs: 100, reconnectMaxDelayMs: 500 },
    }),
    { mode: 0o600 },
  );
}, 120_000);

afterAll(async () => {
  await stopAgent("SIGTERM");
  await t?.stop();
  await sim?.stop();
  await gateway?.close();
});

describe("the chat relay", () => {
  it("says offline at once when there is no agent, and online when it connects", async () => {
    const chat = await connect();
    expect(await chat.next((m) => m.type === "status", 2_000)).toEqual({ type: "status", agent: "offline" });
    const refused = await chat.request({ op: "sessions.list" }, 2_000);
    expect(refused).toMatchObject({ ok: false, error: { code: "AGENT_OFFLINE" } });

    startAgent();
    const online = await chat.next((m) => m.type === "status" && m.agent === "online", 30_000);
    expect(online).toMatchObject({ gateway: "ready", model: { provider: "clawcloud", model: "stub-echo" } });
    chat.close();
  });

  it("relays requests and the streamed events of a turn", async () => {
    const chat = await connect();
    await chat.next((m) => m.type === "status" && m.agent === "online", 10_000);
    const sessionKey = "agent:main:relay-test";
    const runId = randomUUID();
    expect(await chat.request({ op: "send", sessionKey, text: "hi there", runId })).toMatchObject({ ok: true, result: { runId } });
    expect(await chat.next((m) => m.type === "chat" && m.state === "final")).toMatchObject({ runId, sessionKey, text: "ECHO: hi there" });
    const history = await chat.request({ op: "history", sessionKey });
    expect(history.result).toEqual({
      sessionKey,
      messages: [
        expect.objectContaining({ role: "user", text: "hi there" }),
        expect.objectContaining({ role: "assistant", text: "ECHO: hi there" }),
      ],
    });
    const list = await chat.request({ op: "sessions.list" });
    expect(list.result).toMatchObject({ sessions: [expect.objectContaining({ key: sessionKey, preview: "ECHO: hi there" })] });
    // Not valid: answered by the agent with a reason, the socket stays.
    expect(await chat.request({ op: "send", sessionKey, text: "", runId: randomUUID() })).toMatchObject({
      ok: false,
      error: { code: "INVALID_REQUEST" },
    });
    expect(await chat.request({ op: "config.patch" })).toMatchObject({ ok: false, error: { code: "INVALID_REQUEST" } });
    chat.close();
  });

  it("tells the browser the moment the agent goes, and again when it is back (same socket)", async () => {
    const chat = await connect();
    await chat.next((m) => m.type === "status" && m.agent === "online", 10_000);
    await stopAgent("SIGKILL");
    expect(await chat.next((m) => m.type === "status", 5_000)).toEqual({ type: "status", agent: "offline" });
    startAgent();
    expect(await chat.next((m) => m.type === "status" && m.agent === "online", 30_000)).toMatchObject({ gateway: "ready" });
    expect((await chat.request({ op: "sessions.list" })).ok).toBe(true);
    chat.close();
  });

  it("keeps the conversation list live across a gateway restart, however the agent reconnects", async () => {
    const chat = await connect();
    await chat.next((m) => m.type === "status" && m.agent === "online" && m.gateway === "ready", 10_000);
    const turn = async (sessionKey: string) => {
      const runId = randomUUID();
      expect((await chat.request({ op: "send", sessionKey, text: "list me", runId })).ok).toBe(true);
      await chat.next((m) => m.type === "chat" && m.runId === runId && m.state === "final");
    };
    await turn("agent:main:live-list-1");
    await chat.next((m) => m.type === "sessions.changed", 2_000);
    gateway.dropConnections();
    await chat.next((m) => m.type === "status" && m.gateway === "unavailable", 5_000);
    // The browser asks before the agent's own retry: the request reconnects to the gateway.
    expect((await chat.request({ op: "sessions.list" }, 5_000)).ok).toBe(true);
    expect(chat.messages.filter((m) => m.type === "sessions.changed")).toEqual([]);
    await turn("agent:main:live-list-2");
    await chat.next((m) => m.type === "sessions.changed", 2_000);
    chat.close();
  });

  it("pauses a browser that does not read, then cuts it off instead of queueing without bound", async () => {
    const chat = await connect();
    await chat.next((m) => m.type === "status" && m.agent === "online", 10_000);
    // Stop reading: the kernel buffers fill, then the server's, then the channel is paused and
    // the agent holds at most its limit before closing the channel as too slow.
    (chat.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    gateway.flood(200, 64 * 1024);
    // Give the 12.5 MB time to back up through the kernel's buffers, the server's and the agent's.
    await new Promise((r) => setTimeout(r, 3_000));
    (chat.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await chat.closedWith(10_000)).toBe(4408);
    // What reached the browser is what was buffered before the pause took hold, not the whole flood.
    const delivered = chat.messages.filter((m) => m.type === "chat" && m.runId === "flood").length;
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(200);
  });

  it("answers a browser frame that is too large by closing, and never a binary one", async () => {
    const chat = await connect();
    chat.socket.send("x".repeat(300 * 1024));
    expect(await chat.closedWith()).toBe(1009);
    const binary = await connect();
    binary.socket.send(Buffer.from([1, 2, 3]));
    expect(await binary.closedWith()).toBe(1003);
  });

  it("proxies the OpenAI-compatible endpoint with the gateway token added on the instance", async () => {
    const res = await c.post(`/api/v1/instances/${instanceId}/openai/v1/chat/completions`, {
      model: "anything",
      messages: [{ role: "user", content: "ping" }],
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe("ECHO: ping");
    const stream = await c.post(`/api/v1/instances/${instanceId}/openai/v1/chat/completions`, {
      stream: true,
      messages: [{ role: "user", content: "a b c" }],
    });
    expect(stream.headers.get("content-type")).toMatch(/text\/event-stream/);
    expect(await stream.text()).toMatch(/data: \[DONE\]/);
  });
});

describe.runIf(testDatabaseKind === "postgres")("several replicas", () => {
  it("routes a chat and the OpenAI endpoint from the replica with the browser to the one with the agent", async () => {
    const other = await startTestApp({ db: t.db, role: "api" });
    try {
      const chat = await connect(other);
      const online = await chat.next((m) => m.type === "status", 10_000);
      expect(online).toMatchObject({ agent: "online", gateway: "ready" });
      const runId = randomUUID();
      const big = "y".repeat(20_000); // more than one NOTIFY's worth
      expect(await chat.request({ op: "send", sessionKey: "agent:main:replicas", text: big, runId })).toMatchObject({ ok: true });
      expect(await chat.next((m) => m.type === "chat" && m.state === "final")).toMatchObject({ text: `ECHO: ${big}` });

      const res = await fetch(`${other.url}/api/v1/instances/${instanceId}/openai/v1/chat/completions`, {
        method: "POST",
        headers: { cookie: cookie(), origin: PUBLIC_URL, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "across" }] }),
      });
      expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe("ECHO: across");

      // The agent leaves its replica: the browser on the other one hears it too.
      await stopAgent("SIGKILL");
      expect(await chat.next((m) => m.type === "status", 5_000)).toEqual({ type: "status", agent: "offline" });
      startAgent();
      expect(await chat.next((m) => m.type === "status" && m.agent === "online", 30_000)).toMatchObject({ gateway: "ready" });
      chat.close();
    } finally {
      await other.stop();
    }
  });
});
