import { AGENT_PROTOCOL, decodeRelayFrame, encodeRelayFrame, RelayOp } from "@clawcloud/contracts";
import { openDatabase } from "@clawcloud/db";
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

describe("the chat page's agent states", () => {
  test("offline at once, online when the agent connects, offline the moment it drops, on one page", async () => {
    const page = await pages.open();
    await signUp(page, server, person);
    const me = await page.evaluate(async () => (await (await fetch("/api/v1/me")).json()) as { workspace: { id: string } });
    const database = await openDatabase({ url: databaseUrl, dataDir: server.dataDir });
    let instance: RegisteredInstance;
    try {
      [instance] = (await insertRegisteredInstances(database.db, me.workspace.id, 1)) as [RegisteredInstance];
    } finally {
      await database.close();
    }

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
    await signUp(page, server, { ...person, email: `grace-${Date.now()}@example.com` });
    const me = await page.evaluate(async () => (await (await fetch("/api/v1/me")).json()) as { workspace: { id: string } });
    const database = await openDatabase({ url: databaseUrl, dataDir: server.dataDir });
    let instance: RegisteredInstance;
    try {
      [instance] = (await insertRegisteredInstances(database.db, me.workspace.id, 1)) as [RegisteredInstance];
    } finally {
      await database.close();
    }
    // OpenClaw under load: the first list takes its time, and only answers once a message is out.
    let heldList: (() => void) | undefined;
    let started: string | undefined;
    const agent = await connectAgent(instance, { provider: "stub", model: "stub-echo" }, (req, send) => {
      const sessions = () => ({
        sessions: started ? [{ key: started, title: "Hello", preview: null, updatedAt: Date.now(), running: false }] : [],
      });
      if (req.op === "sessions.list" && !heldList && !started)
        heldList = () => send({ type: "reply", id: req.id, ok: true, result: sessions() });
      else if (req.op === "sessions.list") send({ type: "reply", id: req.id, ok: true, result: sessions() });
      else if (req.op === "history") send({ type: "reply", id: req.id, ok: true, result: { sessionKey: req.sessionKey, messages: [] } });
      else if (req.op === "send") {
        started = req.sessionKey;
        const turn = { type: "chat", sessionKey: req.sessionKey, runId: req.runId };
        send({ type: "reply", id: req.id, ok: true, result: { runId: req.runId } });
        send({ ...turn, state: "delta", text: "ECHO:" });
        setTimeout(() => {
          send({ ...turn, state: "final", text: `ECHO: ${req.text}` });
          heldList?.();
        }, 500);
      }
    });
    try {
      await page.goto(`${server.url}/instances/${instance.instanceId}/chat`);
      const input = page.getByTestId("chat-input");
      await expect.poll(() => input.getAttribute("placeholder")).toBe("Message your assistant");
      expect(heldList).toBeDefined(); // the list has not answered yet
      await input.fill("Hello before the list");
      await input.press("Enter");
      await page.getByTestId("chat-live").getByText("ECHO:").waitFor({ timeout: 10_000 });
      await page.getByTestId("chat-message-assistant").getByText("ECHO: Hello before the list").waitFor({ timeout: 10_000 });
      await page.getByTestId("chat-session").getByText("Hello").waitFor({ timeout: 10_000 });
      expect(await page.getByTestId("chat-message-user").getByText("Hello before the list").count()).toBe(1);
    } finally {
      agent.close();
    }
  });
});
