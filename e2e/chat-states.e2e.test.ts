// The chat page's states against an agent double that speaks the relay protocol (no OpenClaw):
// offline and online as the agent comes and goes, a message sent before the conversation list has
// answered, and a reply that ends while the browser's connection is down.
import { AGENT_PROTOCOL, type ChatMessage, decodeRelayFrame, encodeRelayFrame, RelayOp } from "@clawcloud/contracts";
import { openDatabase } from "@clawcloud/db";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import WebSocket from "ws";
import { insertRegisteredInstances, type RegisteredInstance } from "../test-support/agent-fixtures.ts";
import { fitsPhone } from "./support/deploy.ts";
import type { E2eServer } from "./support/server.ts";
import { PHONE, settledShot, signIn, signUp, usePostgresE2e } from "./support/session.ts";

const person = { name: "Ada Lovelace", email: `ada-${Date.now()}@example.com`, password: "analytical-engine-1843" };

let server: E2eServer;
let databaseUrl: string;
// 401: the signed-out check on the sign-in page.
const pages = usePostgresE2e({ expectedConsole: /status of 401/ }, (e2e) => {
  ({ server, databaseUrl } = e2e);
});

type Send = (frame: unknown) => void;
/** What the agent double does with one chat request from the browser (nothing, by default). */
type OnRequest = (request: { id: string; op: string; sessionKey?: string; text?: string; runId?: string }, send: Send) => void;

/** The agent double: welcomed, then it answers each chat channel's OPEN with its status. */
async function connectAgent(
  instance: RegisteredInstance,
  model: { provider: string; model: string } | null = null,
  onRequest: OnRequest = () => undefined,
): Promise<WebSocket> {
  const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/api/agent/v1/connect`, AGENT_PROTOCOL, {
    headers: { authorization: `Bearer ${instance.credential}` },
  });
  socket.on("message", (data: Buffer, isBinary: boolean) => {
    const frame = isBinary ? decodeRelayFrame(data) : undefined;
    if (!frame) return;
    const send: Send = (message) => socket.send(encodeRelayFrame(RelayOp.DATA, frame.channel, JSON.stringify(message)), { binary: true });
    if (frame.op === RelayOp.OPEN) send({ type: "status", agent: "online", gateway: "ready", model });
    else if (frame.op === RelayOp.DATA) onRequest(JSON.parse(Buffer.from(frame.payload).toString("utf8")), send);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("message", () => resolve()); // the welcome
    socket.once("error", reject);
  });
  return socket;
}

/**
 * OpenClaw as the agent double shows it: one conversation; "send" answers at once with a first
 * delta, and the test ends the turn with `finish`. With `holdFirstList`, the first conversation
 * list answers only when the turn ends (OpenClaw busy).
 */
function echoOpenclaw(o: { holdFirstList: boolean }) {
  let session: { key: string; running: boolean } | undefined;
  const history: ChatMessage[] = [];
  let held: (() => void) | undefined;
  let turn: { send: Send; sessionKey: string; runId: string; text: string } | undefined;
  const list = () => ({
    sessions: session ? [{ key: session.key, title: "Hello", preview: null, updatedAt: Date.now(), running: session.running }] : [],
  });
  const onRequest: OnRequest = (req, send) => {
    const reply = (result: unknown) => send({ type: "reply", id: req.id, ok: true, result });
    if (req.op === "sessions.list" && o.holdFirstList && !session && !held) held = () => reply(list());
    else if (req.op === "sessions.list") reply(list());
    else if (req.op === "history") reply({ sessionKey: req.sessionKey, messages: req.sessionKey === session?.key ? history : [] });
    else if (req.op === "send" && req.sessionKey && req.runId && req.text) {
      session = { key: req.sessionKey, running: true };
      history.push({ id: `u-${req.runId}`, role: "user", text: req.text, timestamp: Date.now(), error: null });
      turn = { send, sessionKey: req.sessionKey, runId: req.runId, text: req.text };
      reply({ runId: req.runId });
      send({ type: "chat", sessionKey: req.sessionKey, runId: req.runId, state: "delta", text: "ECHO:" });
    }
  };
  return {
    onRequest,
    get listHeld() {
      return held !== undefined;
    },
    /** Ends the turn. `tell: false`: its final event reaches no one (the browser was away). */
    finish(tell: boolean) {
      if (!turn || !session) throw new Error("no turn to finish");
      const text = `ECHO: ${turn.text}`;
      session.running = false;
      history.push({ id: turn.runId, role: "assistant", text, timestamp: Date.now(), error: null });
      if (tell) turn.send({ type: "chat", sessionKey: turn.sessionKey, runId: turn.runId, state: "final", text });
      held?.();
      held = undefined;
    },
  };
}

/** Signs a new person up and registers one instance in their workspace (its agent not connected). */
async function signUpWithInstance(page: Page, email: string): Promise<RegisteredInstance> {
  await signUp(page, server, { ...person, email });
  const me = await page.evaluate(async () => (await (await fetch("/api/v1/me")).json()) as { workspace: { id: string } });
  const database = await openDatabase({ url: databaseUrl, dataDir: server.dataDir });
  try {
    const [instance] = await insertRegisteredInstances(database.db, me.workspace.id, 1);
    if (!instance) throw new Error("no instance registered");
    return instance;
  } finally {
    await database.close();
  }
}

/** A new person's chat page, the agent double connected with a model, ready for a message. */
async function chatWithDouble(page: Page, openclaw: ReturnType<typeof echoOpenclaw>, email: string): Promise<WebSocket> {
  const instance = await signUpWithInstance(page, email);
  const agent = await connectAgent(instance, { provider: "stub", model: "stub-echo" }, openclaw.onRequest);
  await page.goto(`${server.url}/instances/${instance.instanceId}/chat`);
  const input = page.getByTestId("chat-input");
  await expect.poll(() => input.getAttribute("placeholder")).toBe("Message your assistant");
  return agent;
}

describe("the chat page's agent states", () => {
  test("offline at once, online when the agent connects, offline the moment it drops, on one page", async () => {
    const page = await pages.open();
    const instance = await signUpWithInstance(page, person.email);

    await page.goto(`${server.url}/instances/${instance.instanceId}/chat`);
    const offline = page.getByTestId("chat-offline");
    await offline.waitFor();
    expect(await offline.textContent()).toMatch(/Your assistant is offline: its agent isn't connected/);
    // Sending is blocked, with the reason, while no one is there.
    expect(await page.getByPlaceholder("Your assistant is offline").count()).toBe(1);
    expect(await page.getByTestId("chat-send").isDisabled()).toBe(true);

    let agent = await connectAgent(instance);
    await page.getByTestId("chat-no-model").waitFor();
    expect(await offline.count()).toBe(0);
    expect(await page.getByPlaceholder("Set up a model to start chatting").count()).toBe(1);
    await settledShot(page, "chat-states-online-desktop");

    agent.close();
    await offline.waitFor({ timeout: 5_000 });
    agent = await connectAgent(instance);
    await page.getByTestId("chat-no-model").waitFor();
    expect(await offline.count()).toBe(0);

    const phone = await pages.open(PHONE);
    await signIn(phone, server, person);
    await phone.goto(`${server.url}/instances/${instance.instanceId}/chat`);
    // On a phone the conversation list comes first: the state shows above it all the same.
    await phone.getByTestId("chat-no-model").waitFor();
    await fitsPhone(phone);
    await settledShot(phone, "chat-states-online-phone");
    agent.close();
    await phone.getByTestId("chat-offline").waitFor({ timeout: 5_000 });
    expect(await phone.getByRole("navigation", { name: "Conversations" }).textContent()).toMatch(
      /Your conversations appear here when your assistant is back online\./,
    );
    await settledShot(phone, "chat-states-offline-phone");
  });

  test("a message sent before the conversation list arrives gets its streamed reply in the conversation it starts", async () => {
    const page = await pages.open();
    const openclaw = echoOpenclaw({ holdFirstList: true });
    const agent = await chatWithDouble(page, openclaw, `grace-${Date.now()}@example.com`);
    try {
      expect(openclaw.listHeld).toBe(true); // the list has not answered yet
      const input = page.getByTestId("chat-input");
      await input.fill("Hello before the list");
      await input.press("Enter");
      await page.getByTestId("chat-live").getByText("ECHO:").waitFor({ timeout: 10_000 });
      openclaw.finish(true);
      await page.getByTestId("chat-message-assistant").getByText("ECHO: Hello before the list").waitFor({ timeout: 10_000 });
      await page.getByTestId("chat-session").getByText("Hello").waitFor({ timeout: 10_000 });
      expect(await page.getByTestId("chat-message-user").getByText("Hello before the list").count()).toBe(1);
    } finally {
      agent.close();
    }
  });

  test("a reply that ends while the connection is down shows in full once it is back, not as typing for good", async () => {
    const page = await pages.open();
    // Keep the page's sockets reachable, to drop the chat socket as a network would.
    await page.addInitScript(() => {
      const Native = window.WebSocket;
      const opened: { close(): void }[] = [];
      (window as unknown as { __sockets: typeof opened }).__sockets = opened;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          opened.push(this);
        }
      };
    });
    const openclaw = echoOpenclaw({ holdFirstList: false });
    const agent = await chatWithDouble(page, openclaw, `katherine-${Date.now()}@example.com`);
    try {
      const input = page.getByTestId("chat-input");
      await input.fill("Hello across a drop");
      await input.press("Enter");
      const live = page.getByTestId("chat-live");
      await live.getByText("ECHO:").waitFor({ timeout: 10_000 });
      // The turn ends on the instance while the browser is away: its final event is lost.
      openclaw.finish(false);
      await page.evaluate(() => (window as unknown as { __sockets: { close(): void }[] }).__sockets.at(-1)?.close());
      await page.getByTestId("chat-announcer").getByText("Reconnected").waitFor({ timeout: 10_000 });
      await page.getByTestId("chat-message-assistant").getByText("ECHO: Hello across a drop").waitFor({ timeout: 10_000 });
      expect(await live.count()).toBe(0);
      expect(await page.getByTestId("chat-send").count()).toBe(1); // Send again, not Stop
      expect(await page.getByTestId("chat-message-user").getByText("Hello across a drop").count()).toBe(1);
    } finally {
      agent.close();
    }
  });
});
