// The chat page's agent states in a real browser against the real server: "offline" at once when
// the instance's agent has no connection, online as soon as it connects, offline again the moment
// it drops, and back — all on one open page, without a reload. The agent is a double speaking agent
// protocol v1 (its credential planted, as registration would store it) that answers a chat
// channel's opening with its status, as the real agent does; the real agent with real OpenClaw is
// chat.e2e.test.ts. The server runs on PostgreSQL so the test can plant the instance while it runs.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { AGENT_PROTOCOL, decodeRelayFrame, encodeRelayFrame, RelayOp } from "@clawcloud/contracts";
import { openDatabase } from "@clawcloud/db";
import pg from "pg";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import WebSocket from "ws";
import { insertRegisteredInstances, type RegisteredInstance } from "../test-support/agent-fixtures.ts";
import { launchBrowser } from "./support/browser.ts";
import { fitsPhone } from "./support/deploy.ts";
import { type E2eServer, startServer } from "./support/server.ts";
import { artifacts, Pages, PHONE, settledShot, signIn, signUp } from "./support/session.ts";

const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const dbName = `cc_e2e_chat_${randomBytes(5).toString("hex")}`;
const dbUrl = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
})();
const person = { name: "Ada Lovelace", email: `ada-${Date.now()}@example.com`, password: "analytical-engine-1843" };

let server: E2eServer;
let browser: Browser;
// 401: the signed-out check on the sign-in page.
const pages = new Pages(() => browser, /status of 401/);

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, "..", "apps", "web", "dist", "index.html")))
    throw new Error("The web app is not built: run `npm run build` before the e2e tests.");
  mkdirSync(artifacts, { recursive: true });
  await admin(`create database ${dbName}`);
  [server, browser] = await Promise.all([startServer({ DATABASE_URL: dbUrl }), launchBrowser()]);
});
afterAll(async () => {
  await pages.close();
  await browser?.close();
  await server?.stop();
  await admin(`drop database if exists ${dbName} with (force)`);
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
    const database = await openDatabase({ url: dbUrl, dataDir: server.dataDir });
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
