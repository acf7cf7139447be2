// The chat, as a new user in a real browser: sign up, deploy to this machine (real OpenClaw on
// Node 24 and the real agent), set the model to the stub LLM through the model dialog (the key is
// sealed in the browser), send a message with a canary, see the streamed "ECHO: …" arrive, reload
// and find the conversation still listed with its history (it lives on the instance). Prints the
// time from Deploy to the first reply token. Then the privacy check: neither the chat canary nor
// the model key is in any server log line or in a dump of the server's database.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PASSTHROUGH_ENV } from "@clawcloud/bootstrap";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dumpDatabase, encodings } from "../test-support/dump.ts";
import { type StubLlm, startStubLlm } from "../test-support/stub-llm.ts";
import { launchBrowser } from "./support/browser.ts";
import { fitsPhone } from "./support/deploy.ts";
import { type E2eServer, startServer } from "./support/server.ts";
import { PHONE, signUp } from "./support/session.ts";

const root = join(import.meta.dirname, "..");
const artifacts = join(root, "artifacts");
const canary = (label: string) => `${label}-${randomBytes(9).toString("hex")}`;
const MODEL_KEY = canary("sk-canary-model-key");
const CHAT_WORDS = canary("chat-canary-browser");
const person = { name: "Hedy Lamarr", email: `hedy-${Date.now()}@example.com`, password: "frequency-hopping-1942" };

let server: E2eServer;
let browser: Browser;
let stub: StubLlm;

beforeAll(async () => {
  if (!existsSync(join(root, "apps", "web", "dist", "index.html")) || !existsSync(join(root, "apps", "agent", "dist"))) {
    throw new Error("The web app or the agent is not built: run `npm run build` before the e2e tests.");
  }
  mkdirSync(artifacts, { recursive: true });
  const network = Object.fromEntries(PASSTHROUGH_ENV.flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : [])));
  [server, browser, stub] = await Promise.all([
    startServer(network),
    launchBrowser(),
    startStubLlm({ apiKey: MODEL_KEY, chunkDelayMs: 150 }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await stub?.close();
  if (server) {
    writeFileSync(join(artifacts, "chat-e2e-server.log"), `${server.logs().join("\n")}\n`);
    await server.stop();
  }
});

async function instanceState(page: Page, id: string): Promise<{ state: string; stateMessage: string | null } | undefined> {
  return page.evaluate(async (p) => {
    const r = await fetch(p, { headers: { accept: "application/json" } });
    return r.ok ? ((await r.json()) as { state: string; stateMessage: string | null }) : undefined;
  }, `/api/v1/instances/${id}`);
}

/**
 * Waits for a locator; on a timeout, the error says what the chat showed and how the instance's
 * agent saw it (its log holds ops, sizes and codes, never content), so a failure in CI explains
 * itself.
 */
async function waitOrExplain(page: Page, locator: Locator, instanceId: string, timeout: number): Promise<void> {
  try {
    await locator.waitFor({ timeout });
  } catch (err) {
    const shown = await page
      .locator(".chat-page")
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered lines read better in a failure
      .innerText({ timeout: 5_000 })
      .catch(() => "(no chat page)");
    let agentLog = "(no agent log)";
    try {
      agentLog = readFileSync(join(server.dataDir, "instances", instanceId, "logs", "agent.log"), "utf8")
        .split("\n")
        .slice(-40)
        .join("\n");
    } catch {}
    // The page holds the chat canary: it stays out of CI's output as out of every log.
    const visible = shown.replaceAll(CHAT_WORDS, "<chat canary>").slice(0, 3000);
    throw new Error(`${(err as Error).message}\n--- the chat page showed:\n${visible}\n--- the agent's log, last lines:\n${agentLog}`);
  }
}

describe("chatting with your own OpenClaw, in a browser", () => {
  let instanceId = "";

  test("sign up → deploy → set the model → a streamed reply → reload, still there", { timeout: 720_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signUp(page, server, person);

    await page.getByRole("link", { name: "Deploy your assistant" }).first().click();
    await page.getByRole("radio", { name: /This machine/ }).check();
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Name", { exact: true }).fill("chat assistant");
    const answer = page.waitForResponse((r) => r.url().endsWith("/api/v1/instances") && r.request().method() === "POST");
    const started = Date.now();
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    instanceId = ((await (await answer).json()) as { id: string }).id;
    await page.waitForURL(`${server.url}/instances/${instanceId}`);

    const setUp = page.getByRole("button", { name: "Set up your model" });
    const deadline = Date.now() + 480_000;
    while (!(await setUp.isVisible()) || !(await setUp.isEnabled())) {
      const now = await instanceState(page, instanceId);
      if (now?.state === "failed") throw new Error(`the local deploy failed: ${now.stateMessage}`);
      if (Date.now() > deadline) throw new Error(`not ready after 8 minutes: ${JSON.stringify(now)}`);
      await page.waitForTimeout(1000);
    }

    // The model dialog: a custom OpenAI-compatible URL (the stub), its model, the key; Save tests it.
    await setUp.click();
    const dialog = page.getByRole("dialog", { name: "Set up your model" });
    await dialog.getByRole("radio", { name: /OpenAI-compatible/ }).check();
    await dialog.getByLabel("Base URL").fill(stub.baseUrl);
    await dialog.getByLabel("Model", { exact: true }).fill("stub-echo");
    await dialog.getByLabel("API key (optional)").fill(MODEL_KEY);
    const put = page.waitForRequest((r) => r.url().endsWith(`/api/v1/instances/${instanceId}/model`) && r.method() === "PUT");
    await dialog.getByRole("button", { name: "Save and test" }).click();
    // Only the sealed box leaves the browser.
    expect((await put).postData()).not.toContain(MODEL_KEY);
    await page.getByTestId("model-applied").waitFor({ timeout: 120_000 });
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByTestId("model-in-use").getByText("stub-echo").waitFor();

    // What the browser receives on its chat socket: a turn's streamed deltas, then its final.
    // Counted on the wire, since a busy machine may render a short stream's last delta and its
    // final together (the live rendering of deltas is chat-states.e2e.test.ts's to check).
    const turn: { at: number; state: string; text: string }[] = [];
    page.on("websocket", (ws) => {
      if (!ws.url().endsWith(`/api/v1/instances/${instanceId}/chat`)) return;
      ws.on("framereceived", ({ payload }) => {
        const m = JSON.parse(String(payload)) as { type: string; state?: string; text?: string };
        if (m.type === "chat" && m.state) turn.push({ at: Date.now(), state: m.state, text: m.text ?? "" });
      });
    });

    // The chat: a new conversation; Enter sends.
    await page.getByRole("link", { name: "Open chat" }).click();
    await page.waitForURL(`${server.url}/instances/${instanceId}/chat`);
    await page.getByTestId("chat-model").getByText("stub-echo").waitFor({ timeout: 60_000 });
    const input = page.getByTestId("chat-input");
    await expect.poll(() => input.getAttribute("placeholder"), { timeout: 60_000 }).toBe("Message your assistant");
    await input.fill(`Hello ${CHAT_WORDS}`);
    await input.press("Enter");
    const reply = page.getByTestId("chat-message-assistant").last();
    await waitOrExplain(page, reply.getByText(`ECHO: Hello ${CHAT_WORDS}`), instanceId, 120_000);
    // Streamed: deltas with the reply's first words came before the final.
    const firstToken = turn.findIndex((f) => f.state === "delta" && f.text.includes("ECHO"));
    expect(firstToken).toBeGreaterThanOrEqual(0);
    expect(firstToken).toBeLessThan(turn.findIndex((f) => f.state === "final"));
    console.log(
      `chat e2e: Deploy → first reply token in ${(((turn[firstToken]?.at ?? 0) - started) / 1000).toFixed(1)} s ` +
        `(${turn.filter((f) => f.state === "delta").length} deltas, then the final)`,
    );
    await page
      .getByTestId("chat-announcer")
      .getByText(/Assistant replied/)
      .waitFor();
    await page.screenshot({ path: join(artifacts, "chat-reply.png"), fullPage: true });

    // Reload: the conversation is OpenClaw's, read back from the instance.
    await page.reload();
    const listed = page.getByTestId("chat-session").first();
    await listed.waitFor({ timeout: 60_000 });
    await listed.click();
    await page.getByTestId("chat-message-user").getByText(`Hello ${CHAT_WORDS}`).waitFor({ timeout: 60_000 });
    await page.getByTestId("chat-message-assistant").getByText(`ECHO: Hello ${CHAT_WORDS}`).waitFor();
    await context.close();
  });

  test("on a phone: the list, then the conversation, within 375 px", { timeout: 120_000 }, async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel("E-mail").fill(person.email);
    await page.getByLabel("Password", { exact: true }).fill(person.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.url}/instances`);
    await page.goto(`${server.url}/instances/${instanceId}/chat`);
    await page.getByTestId("chat-session").first().click();
    await page.getByTestId("chat-message-assistant").first().waitFor({ timeout: 60_000 });
    expect(await page.getByRole("navigation", { name: "Conversations" }).isVisible()).toBe(false);
    await fitsPhone(page);
    await page.screenshot({ path: join(artifacts, "chat-phone.png"), fullPage: true });
    await page.getByRole("button", { name: "Conversations" }).click();
    await page.getByRole("navigation", { name: "Conversations" }).waitFor();
    await fitsPhone(page);
    await context.close();
  });

  test("Settings → API tokens: created and shown once with the instance's base URL, then revoked", { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel("E-mail").fill(person.email);
    await page.getByLabel("Password", { exact: true }).fill(person.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.url}/instances`);
    await page.goto(`${server.url}/settings`);
    const section = page.getByRole("region", { name: "API tokens" });
    await section.getByText("No tokens yet.").waitFor();
    await section.getByLabel("Name").fill("laptop script");
    await section.getByLabel("Expires").selectOption("30");
    await section.getByRole("button", { name: "Create token" }).click();
    const token = await section.getByTestId("api-token-value").textContent();
    expect(token).toMatch(/^cc_pat_/);
    await section.getByText(`${server.url}/api/v1/instances/${instanceId}/openai/v1/chat/completions`).waitFor();
    await section.getByRole("button", { name: "Done" }).click();
    // Listed by name and prefix; the token itself is never shown again.
    await section.getByTestId("api-token-row").locator(".token-name", { hasText: "laptop script" }).waitFor();
    expect(await page.content()).not.toContain(token as string);
    await section.getByRole("button", { name: "Revoke laptop script" }).click();
    await page.getByRole("dialog", { name: "Revoke this token?" }).getByRole("button", { name: "Revoke token" }).click();
    await section.getByText("No tokens yet.").waitFor();
    await context.close();
  });

  test("the server's log and database hold neither the chat canary nor the model key", { timeout: 120_000 }, async () => {
    await server.stop({ keepData: true });
    const logs = server.logs();
    const dump = await dumpDatabase({ dataDir: server.dataDir, databaseUrl: undefined } as never);
    expect(dump.length).toBeGreaterThan(1000);
    for (const secret of [MODEL_KEY, CHAT_WORDS]) {
      for (const form of encodings(secret)) {
        expect(logs.filter((l) => l.includes(form))).toEqual([]);
        expect(dump.includes(form)).toBe(false);
      }
    }
  });
});
