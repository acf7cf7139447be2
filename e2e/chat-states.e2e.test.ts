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

/** The agent double: welcomed, then it answers each chat channel's OPEN with its status. */
async function connectAgent(instance: RegisteredInstance): Promise<WebSocket> {
  const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/api/agent/v1/connect`, AGENT_PROTOCOL, {
    headers: { authorization: `Bearer ${instance.credential}` },
  });
  socket.on("message", (data: Buffer, isBinary: boolean) => {
    const frame = isBinary ? decodeRelayFrame(data) : undefined;
    if (frame?.op !== RelayOp.OPEN) return;
    const status = { type: "status", agent: "online", gateway: "ready", model: null };
    socket.send(encodeRelayFrame(RelayOp.DATA, frame.channel, JSON.stringify(status)), { binary: true });
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
});
