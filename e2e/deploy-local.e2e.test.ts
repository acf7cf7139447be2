// Deploying to this machine in a real browser, for real: sign up, choose "This machine" in the
// Deploy wizard, and watch the real server install OpenClaw 2026.9.6 from the npm registry (~70 s
// with a warm npm cache), start its gateway and the real agent, and show the instance ready with
// OpenClaw's version. Prints the time from Deploy to ready; then deletes it, which stops the
// processes and removes the instance's directory. A screenshot of the ready page goes to artifacts/.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PASSTHROUGH_ENV } from "@clawcloud/bootstrap";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser } from "./support/browser.ts";
import { type E2eServer, startServer } from "./support/server.ts";

const root = join(import.meta.dirname, "..");
const artifacts = join(root, "artifacts");
const person = { name: "Grace Hopper", email: `grace-${Date.now()}@example.com`, password: "compiler-nanosecond-1952" };

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(root, "apps", "web", "dist", "index.html")) || !existsSync(join(root, "apps", "agent", "dist"))) {
    throw new Error("The web app or the agent is not built: run `npm run build` before the e2e tests.");
  }
  mkdirSync(artifacts, { recursive: true });
  // The install reaches the npm registry: the proxy and CA settings of this environment go along.
  const network = Object.fromEntries(PASSTHROUGH_ENV.flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : [])));
  [server, browser] = await Promise.all([startServer(network), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  if (server) writeFileSync(join(artifacts, "deploy-local-e2e-server.log"), `${server.logs().join("\n")}\n`);
  // The server stops its local instances' processes on SIGTERM; then its data directory goes.
  await server?.stop();
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function instanceState(page: Page, id: string): Promise<{ state: string; stateMessage: string | null } | undefined> {
  return page.evaluate(async (p) => {
    const r = await fetch(p, { headers: { accept: "application/json" } });
    return r.ok ? ((await r.json()) as { state: string; stateMessage: string | null }) : undefined;
  }, `/api/v1/instances/${id}`);
}

describe("deploying to this machine, in a browser", () => {
  test("Deploy → ready with real OpenClaw, then delete", { timeout: 600_000 }, async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${server.url}/sign-up`);
    await page.getByLabel("Name").fill(person.name);
    await page.getByLabel("E-mail").fill(person.email);
    await page.getByLabel("Password", { exact: true }).fill(person.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${server.url}/instances`);

    // The wizard: This machine (no e-mail verification, no cloud account), then name it.
    await page.getByRole("link", { name: "Deploy your assistant" }).first().click();
    await page.getByRole("heading", { level: 2, name: "Where should your assistant run?" }).waitFor();
    await page.getByRole("radio", { name: /This machine/ }).check();
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("heading", { level: 2, name: "Name it and deploy" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("local assistant");
    const answer = page.waitForResponse((r) => r.url().endsWith("/api/v1/instances") && r.request().method() === "POST");
    const started = Date.now();
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    const response = await answer;
    expect(response.status()).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await page.waitForURL(`${server.url}/instances/${id}`);

    // Ready, with OpenClaw's version, on the instance page. Fail early with the reason if it failed.
    const ready = page.getByRole("heading", { name: "Your assistant is ready" });
    const deadline = Date.now() + 480_000;
    while (!(await ready.isVisible())) {
      const now = await instanceState(page, id);
      if (now?.state === "failed") throw new Error(`the local deploy failed: ${now.stateMessage}`);
      if (Date.now() > deadline) throw new Error(`not ready after 8 minutes: ${JSON.stringify(now)}`);
      await page.waitForTimeout(1000);
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`deploy to this machine: Deploy → ready in ${seconds.toFixed(1)} s`);
    await page.getByText(/OpenClaw 2026\.9\.6 is running on this machine/).waitFor();
    await page.screenshot({ path: join(artifacts, "deploy-local-ready.png"), fullPage: true });

    const dir = join(server.dataDir, "instances", id);
    const pids = readdirSync(join(dir, "run")).map((f) => Number(readFileSync(join(dir, "run", f), "utf8").trim()));
    expect(pids.length).toBe(2);
    expect(pids.every(alive)).toBe(true);

    // Delete: the processes stop and the directory goes, then the row.
    await page.getByRole("button", { name: "Delete local assistant" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete “local assistant”?" });
    await dialog.getByRole("button", { name: "Delete instance" }).click();
    await page.waitForURL(`${server.url}/instances`);
    await page.getByRole("heading", { name: "No assistants yet" }).waitFor({ timeout: 60_000 });
    expect(existsSync(dir)).toBe(false);
    expect(pids.some(alive)).toBe(false);
  });
});
