// Deploying in a real browser against the real server, which talks to the DigitalOcean simulator:
// an unverified person is told up front that cloud deploys wait for a verified e-mail (this
// machine stays open); once verified, they deploy to DigitalOcean through the wizard, watch the
// progress advance to "waiting for the agent" (no real agent runs here), and delete the instance,
// which deletes the droplet. A provider refusal fails a deploy with the provider's message and
// offers "Retry" on the same instance, or "Edit and deploy again" with the same choices. Screenshots (light, dark, phone) go to artifacts/.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type DigitalOceanSimulator, DO_TOKENS, startDigitalOceanSimulator } from "../packages/providers/test/simulator/digitalocean.ts";
import { launchBrowser } from "./support/browser.ts";
import { type E2eServer, startServer } from "./support/server.ts";

const root = join(import.meta.dirname, "..");
const artifacts = join(root, "artifacts");
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, colorScheme: "light" };
const DARK: BrowserContextOptions = { ...DESKTOP, colorScheme: "dark" };
const PHONE: BrowserContextOptions = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  colorScheme: "light",
};

interface Instance {
  id: string;
  name: string;
  state: string;
  step: string;
  stateMessage: string | null;
  events: { step: string; status: string; message: string | null }[];
}

let sim: DigitalOceanSimulator;
let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const consoleProblems: string[] = [];

const person = {
  name: "Katherine Johnson",
  email: `katherine-${Date.now()}@example.com`,
  password: "trajectory-friendship-7",
};
const REGION = { id: "nyc3", name: "New York 3" };
const RECOMMENDED = "s-2vcpu-4gb";

async function newPage(options: BrowserContextOptions = DESKTOP): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  page.on("console", (m) => {
    // The browser logs every 4xx answer as an error: a 401 from /api/v1/me on a signed-out visit.
    // The 503 is the stubbed stream refusal of the last test.
    if (m.type() === "error" && !/status of (401|503)/.test(m.text())) consoleProblems.push(m.text());
  });
  page.on("pageerror", (e) => consoleProblems.push(e.message));
  return page;
}

async function shot(page: Page, name: string) {
  await settle(page);
  // From the top, so the sticky top bar is drawn where it belongs in a full-page capture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** Waits for open/close animations so screenshots show the settled UI. */
async function settle(page: Page) {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Number.POSITIVE_INFINITY)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}

async function fitsPhone(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
}

function apiGet<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const response = await fetch(p, { headers: { accept: "application/json" } });
    return (await response.json()) as unknown;
  }, path) as Promise<T>;
}

function apiPost<T>(page: Page, path: string, body: unknown): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ p, b }) => {
      const response = await fetch(p, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/json", "x-requested-with": "clawcloud" },
        body: JSON.stringify(b),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    },
    { p: path, b: body },
  ) as Promise<{ status: number; body: T }>;
}

/** The newest link the server "e-mailed" to this address (printed to its log without SMTP). */
async function mailedLink(to: string, subject: RegExp, after = 0): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const links = server
      .logs()
      .slice(after)
      .map((line) => {
        try {
          return JSON.parse(line) as { mail?: { to: string; subject: string; link?: string } };
        } catch {
          return {};
        }
      })
      .filter((entry) => entry.mail?.to === to && subject.test(entry.mail.subject) && entry.mail.link);
    const last = links.at(-1)?.mail?.link;
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no e-mail matching ${subject} to ${to} in the server log`);
}

async function signIn(page: Page) {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel("E-mail").fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${server.url}/instances`);
}

function focusedText(page: Page): Promise<string | null | undefined> {
  return page.evaluate(() => document.activeElement?.textContent);
}

/** Steps 1 and 2 of the wizard: the DigitalOcean account, New York 3 and the recommended size. */
async function chooseCloud(page: Page, screenshots?: string) {
  await page.getByRole("heading", { level: 2, name: "Where should your assistant run?" }).waitFor();
  await page.getByRole("radio", { name: /Personal/ }).check();
  if (screenshots) await shot(page, `${screenshots}-where`);
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("heading", { level: 2, name: "Choose a region and a size" }).waitFor();
  await page.getByLabel("Region", { exact: true }).selectOption(REGION.id);
  // The recommended size (4 GB) is chosen for you.
  const recommended = page.getByRole("radio", { name: new RegExp(RECOMMENDED) });
  await recommended.waitFor();
  expect(await recommended.isChecked()).toBe(true);
  if (screenshots) await shot(page, `${screenshots}-size`);
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("heading", { level: 2, name: "Name it and deploy" }).waitFor();
}

async function deploy(page: Page): Promise<{ status: number; body: Instance }> {
  const answer = page.waitForResponse((r) => r.url().endsWith("/api/v1/instances") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  const response = await answer;
  return { status: response.status(), body: (await response.json()) as Instance };
}

function step(page: Page, id: string) {
  return page.locator(`[data-testid=deploy-progress] [data-step=${id}]`);
}

async function waitForStatus(page: Page, id: string, status: string, timeout = 60_000) {
  await page.locator(`[data-testid=deploy-progress] [data-step=${id}][data-status=${status}]`).waitFor({ timeout });
}

beforeAll(async () => {
  if (!existsSync(join(root, "apps", "web", "dist", "index.html"))) {
    throw new Error("The web app is not built: run `npm run build` before the e2e tests.");
  }
  mkdirSync(artifacts, { recursive: true });
  sim = await startDigitalOceanSimulator();
  [server, browser] = await Promise.all([
    startServer({
      CLAWCLOUD_DIGITALOCEAN_API_URL: sim.url,
      // Cloud deploys need an https address for the agents to dial; no agent dials in this test.
      CLAWCLOUD_AGENT_URL: "https://clawcloud.example.test",
    }),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  if (server) writeFileSync(join(artifacts, "deploy-e2e-server.log"), `${server.logs().join("\n")}\n`);
  await server?.stop();
  await sim?.stop();
});

describe("deploying, in a browser", () => {
  test("before the e-mail is verified, cloud accounts are shown disabled with the reason; this machine is open", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/sign-up`);
    await page.getByLabel("Name").fill(person.name);
    await page.getByLabel("E-mail").fill(person.email);
    await page.getByLabel("Password", { exact: true }).fill(person.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${server.url}/instances`);

    // A cloud account can be added before verifying; deploying to it has to wait.
    const added = await apiPost<{ id: string }>(page, "/api/v1/credentials", {
      provider: "digitalocean",
      label: "Personal",
      secret: DO_TOKENS.valid,
    });
    expect(added.status).toBe(201);

    await page.getByRole("link", { name: "Deploy your assistant" }).click();
    await page.waitForURL(`${server.url}/deploy`);
    await page.getByRole("heading", { level: 1, name: "Deploy your assistant" }).waitFor();
    await page.getByRole("navigation", { name: "Deploy steps" }).waitFor();

    const notice = page.getByTestId("verify-to-deploy");
    await notice.getByText("Verify your e-mail to deploy to a cloud.").waitFor();
    const cloud = page.getByRole("radio", { name: /Personal/ });
    await cloud.waitFor();
    expect(await cloud.isDisabled()).toBe(true);
    await page.getByText("Verify your e-mail to deploy here.").waitFor();
    const local = page.getByRole("radio", { name: /This machine/ });
    expect(await local.isDisabled()).toBe(false);

    // Nothing chosen: Next says what is missing, next to it, and moves focus there.
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByText("Choose where your assistant runs.").waitFor();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe("radio");
    await shot(page, "deploy-desktop-light-unverified");

    // This machine skips the region and size step.
    await local.check();
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("heading", { level: 2, name: "Name it and deploy" }).waitFor();
    expect(await focusedText(page)).toBe("Name it and deploy");
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("my-assistant");
    await page.getByText("Free", { exact: true }).first().waitFor();
    expect(await page.getByRole("checkbox", { name: /Keep the server/ }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /Region and size/ }).isDisabled()).toBe(true);
    // An exact version is checked before anything is sent.
    await page.getByRole("radio", { name: "Exact version" }).check();
    await page.getByLabel("Version number", { exact: true }).fill("latest");
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    await page.getByText("An OpenClaw version looks like 2026.9.6").waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("openclawVersion");
    await shot(page, "deploy-desktop-light-local-details");

    // Back keeps what was chosen.
    await page.getByRole("button", { name: "Back" }).click();
    await page.getByRole("heading", { level: 2, name: "Where should your assistant run?" }).waitFor();
    expect(await local.isChecked()).toBe(true);
  });

  test("verified, they deploy to DigitalOcean, watch it progress, and delete it with its droplet", async () => {
    const page = await newPage();
    await signIn(page);
    await page.goto(`${server.url}/deploy`);
    const before = server.logs().length;
    await page.getByTestId("verify-to-deploy").getByRole("button", { name: "Resend verification e-mail" }).click();
    await page.getByTestId("verify-to-deploy").getByText(`Sent to ${person.email}`, { exact: true }).waitFor();
    await page.goto(await mailedLink(person.email, /verify/i, before));
    await page.waitForURL(`${server.url}/instances`);

    await page.getByRole("link", { name: "Deploy your assistant" }).click();
    await page.getByRole("heading", { level: 1, name: "Deploy your assistant" }).waitFor();
    expect(await page.getByTestId("verify-to-deploy").count()).toBe(0);
    await chooseCloud(page, "deploy-desktop-light");

    // The stepper shows what was chosen, and each done step can be reopened from it.
    const stepper = page.getByRole("navigation", { name: "Deploy steps" });
    await stepper.getByText("DigitalOcean · Personal").waitFor();
    await stepper.getByText(`${REGION.name} · ${RECOMMENDED}`).waitFor();

    const summary = page.getByTestId("deploy-summary");
    await summary.getByText("$24").waitFor();
    await summary.getByText(RECOMMENDED).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("e2e assistant");
    await shot(page, "deploy-desktop-light-details");

    // DigitalOcean has a bad moment (503, twice): the worker backs off and says so, then carries on.
    sim.injectFault("server_error", { op: "create_server", status: 503, times: 2 });
    const created = await deploy(page);
    if (created.status !== 201) throw new Error(`POST /api/v1/instances answered ${created.status}: ${JSON.stringify(created.body)}`);
    const instance = created.body;
    expect(instance.state).toBe("pending");
    await page.waitForURL(`${server.url}/instances/${instance.id}`);
    await page.getByRole("heading", { level: 1, name: "e2e assistant" }).waitFor();
    await page.getByRole("status").filter({ hasText: "Deploy started." }).waitFor();
    await step(page, "create")
      .locator(".progress-retry")
      .getByText(/^Retrying: .*503/)
      .waitFor({ timeout: 30_000 });
    await shot(page, "deploy-desktop-light-retrying");

    // Creating → Booting, then waiting for the agent to call back (no agent runs in this test).
    await waitForStatus(page, "create", "done");
    await step(page, "create")
      .getByText(/Done · \d+ s/)
      .waitFor();
    await waitForStatus(page, "boot", "active");
    await step(page, "boot")
      .getByText(/Waiting for the agent/)
      .waitFor();
    // The worker's "Retrying" belonged to the create: it is not shown under the next step.
    expect(await page.locator(".progress-retry").count()).toBe(0);
    for (const id of ["install", "agent", "ready"]) expect(await step(page, id).getAttribute("data-status")).toBe("waiting");
    await page.getByText("Live", { exact: true }).waitFor();
    await page.getByTestId("instance-announcer").filter({ hasText: "The server is booting." }).waitFor();
    // The current step's timer ticks.
    const timer = step(page, "boot").locator(".progress-status");
    const first = await timer.textContent();
    expect(first).toMatch(/^In progress · \d+ s$/);
    await page.waitForFunction(
      ({ sel, text }) => document.querySelector(sel)?.textContent !== text,
      { sel: "[data-testid=deploy-progress] [data-step=boot] .progress-status", text: first },
      { timeout: 5000 },
    );
    const server1 = [...sim.droplets.values()];
    expect(server1).toHaveLength(1);
    expect(server1[0]?.size).toBe(RECOMMENDED);
    expect(server1[0]?.region).toBe(REGION.id);

    // The whole timeline, on demand.
    await page.getByText("Timeline", { exact: true }).click();
    await page.locator(".timeline-list").getByText("Server created").waitFor();
    await page.locator(".timeline-list").getByText("Booting").waitFor();
    await shot(page, "deploy-desktop-light-progress");

    // The list shows it, linked, with its state in words.
    await page.getByRole("link", { name: "Instances" }).first().click();
    const row = page.getByTestId("instance-row").filter({ hasText: "e2e assistant" });
    await row.getByText("Booting").waitFor();
    await shot(page, "deploy-desktop-light-list");
    await row.getByRole("link", { name: "e2e assistant" }).click();
    await page.waitForURL(`${server.url}/instances/${instance.id}`);

    // Delete, after a confirmation that says the server in their account goes too.
    await page.getByRole("button", { name: "Delete e2e assistant" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete “e2e assistant”?" });
    await dialog.getByText(/The server in your DigitalOcean account/).waitFor();
    expect(await focusedText(page)).toBe("Cancel");
    await settle(page);
    await page.screenshot({ path: join(artifacts, "deploy-desktop-light-delete.png") });
    const deleted = page.waitForResponse((r) => r.url().endsWith(`/api/v1/instances/${instance.id}`) && r.request().method() === "DELETE");
    await dialog.getByRole("button", { name: "Delete instance and server" }).click();
    expect((await deleted).status()).toBe(202);
    await page.waitForURL(`${server.url}/instances`);
    await page.getByRole("status").filter({ hasText: "Deleting “e2e assistant”" }).waitFor();
    // The row goes once the server is gone (the list polls while something is deleting).
    await page.getByRole("heading", { name: "No assistants yet" }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("instance-row").count()).toBe(0);
    expect([...sim.droplets.values()]).toEqual([]);
    expect((await apiGet<{ items: Instance[] }>(page, "/api/v1/instances")).items).toEqual([]);
  });

  test("a provider refusal fails the deploy with its message; it can be edited and deployed again, or retried", async () => {
    // DigitalOcean refuses the create (422: not retryable): the deploy fails at once.
    sim.injectFault("server_error", { op: "create_server", status: 422 });
    const dark = await newPage(DARK);
    await signIn(dark);
    await dark.goto(`${server.url}/deploy`);
    await chooseCloud(dark, "deploy-desktop-dark");
    await dark.getByLabel("Name", { exact: true }).fill("refused");
    await dark.getByRole("checkbox", { name: /Keep the server if the deploy fails/ }).waitFor();
    await shot(dark, "deploy-desktop-dark-details");
    const created = await deploy(dark);
    expect(created.status).toBe(201);
    const id = created.body.id;
    await dark.waitForURL(`${server.url}/instances/${id}`);

    const panel = dark.getByTestId("deploy-failed");
    await panel.getByRole("heading", { name: "The deploy failed" }).waitFor({ timeout: 60_000 });
    const failed = await apiGet<Instance>(dark, `/api/v1/instances/${id}`);
    expect(failed.state).toBe("failed");
    expect(failed.stateMessage).toBeTruthy();
    await panel.getByText(failed.stateMessage ?? "").waitFor();
    await panel.getByText("No server was created").waitFor();
    await waitForStatus(dark, "create", "failed");
    expect(await step(dark, "boot").getAttribute("data-status")).toBe("skipped");
    await dark.getByTestId("instance-announcer").filter({ hasText: "The deploy failed." }).waitFor();
    await shot(dark, "deploy-desktop-dark-failed");
    expect(sim.droplets.size).toBe(0);

    // The same failure in light and on a phone.
    const light = await newPage();
    await signIn(light);
    await light.goto(`${server.url}/instances/${id}`);
    await light.getByTestId("deploy-failed").waitFor();
    await shot(light, "deploy-desktop-light-failed");

    const phone = await newPage(PHONE);
    await signIn(phone);
    await phone.getByTestId("instance-row").first().waitFor();
    await fitsPhone(phone);
    await shot(phone, "deploy-phone-list");
    await phone.getByRole("link", { name: "refused" }).click();
    await phone.getByTestId("deploy-failed").waitFor();
    await fitsPhone(phone);
    await shot(phone, "deploy-phone-failed");

    // Edit and deploy again: the wizard opens at the last step with the same account, region and size.
    await dark.getByRole("link", { name: "Edit and deploy again" }).click();
    await dark.waitForURL(new RegExp(`/deploy\\?from=${id}`));
    await dark.getByRole("heading", { level: 2, name: "Name it and deploy" }).waitFor();
    expect(await dark.getByLabel("Name", { exact: true }).inputValue()).toBe("refused");
    const summary = dark.getByTestId("deploy-summary");
    await summary.getByText("DigitalOcean · Personal").waitFor();
    await summary.getByText(RECOMMENDED).waitFor();
    await summary.getByText("$24").waitFor();
    await shot(dark, "deploy-desktop-dark-again");

    // Or retry the same instance: DigitalOcean takes it this time, and the progress starts over.
    await dark.goBack();
    await dark.getByTestId("deploy-failed").getByRole("button", { name: "Retry" }).click();
    await dark.getByTestId("deploy-failed").waitFor({ state: "detached" });
    await waitForStatus(dark, "boot", "active");
    expect(await focusedText(dark)).toBe("Deploying your assistant");
    expect(await step(dark, "create").getAttribute("data-status")).toBe("done");
    await dark.getByText("Timeline", { exact: true }).click();
    await dark.locator(".timeline-list").getByText("Deploy retried").waitFor();
    await dark.locator(".timeline-list").getByText("Deploy failed").waitFor();
    expect(sim.droplets.size).toBe(1);

    // Deleted from the header; the droplet goes with it.
    await dark.getByRole("button", { name: "Delete refused" }).click();
    await dark.getByRole("dialog").getByRole("button", { name: "Delete instance and server" }).click();
    await dark.waitForURL(`${server.url}/instances`);
    await dark.getByRole("heading", { name: "No assistants yet" }).waitFor({ timeout: 60_000 });
    expect(sim.droplets.size).toBe(0);
  });

  test("on a 375 px phone the wizard and the progress view fit and read", async () => {
    const phone = await newPage(PHONE);
    await signIn(phone);
    await phone.goto(`${server.url}/deploy`);
    await phone.getByText("Step 1 of 3").waitFor();
    await phone.getByRole("radio", { name: /Personal/ }).check();
    await fitsPhone(phone);
    await shot(phone, "deploy-phone-where");
    await phone.getByRole("button", { name: "Next" }).click();
    await phone.getByLabel("Region", { exact: true }).selectOption(REGION.id);
    await phone.getByRole("radio", { name: new RegExp(RECOMMENDED) }).waitFor();
    await fitsPhone(phone);
    await shot(phone, "deploy-phone-size");
    await phone.getByRole("button", { name: "Next" }).click();
    await phone.getByRole("heading", { level: 2, name: "Name it and deploy" }).waitFor();
    await fitsPhone(phone);
    await shot(phone, "deploy-phone-details");
    const created = await deploy(phone);
    expect(created.status).toBe(201);
    await phone.waitForURL(`${server.url}/instances/${created.body.id}`);
    await waitForStatus(phone, "boot", "active");
    await fitsPhone(phone);
    await shot(phone, "deploy-phone-progress");

    const dark = await newPage(DARK);
    await signIn(dark);
    await dark.goto(`${server.url}/instances/${created.body.id}`);
    await waitForStatus(dark, "boot", "active");
    await shot(dark, "deploy-desktop-dark-progress");

    await phone.getByRole("button", { name: /^Delete/ }).click();
    await phone.getByRole("dialog").getByRole("button", { name: "Delete instance and server" }).click();
    await phone.waitForURL(`${server.url}/instances`);
    await phone.getByRole("heading", { name: "No assistants yet" }).waitFor({ timeout: 60_000 });
    expect(sim.droplets.size).toBe(0);
  });

  test("the views no simulator reaches: setup reported by the agent, a dropped stream, and ready (stubbed answers)", async () => {
    // A real agent is another test's job: here the instance's answers are stubbed in the browser,
    // to see the setup's own steps, the polling fallback when the stream drops, and the ready panel.
    const now = Date.now();
    const at = (s: number) => new Date(now - s * 1000).toISOString();
    const base = {
      id: "ins_01stubbedinstance000000000",
      name: "stubbed assistant",
      provider: "digitalocean",
      createdAt: at(300),
      credentialId: null,
      region: REGION.id,
      size: RECOMMENDED,
      openclawVersion: "2026.9.6",
      agentPublicKey: null,
      ipv4: "203.0.113.7",
      keepOnFailure: false,
      updatedAt: at(1),
    };
    const early = [
      { step: "pending", status: "info", message: "Deploy requested", at: at(300) },
      { step: "creating", status: "start", message: null, at: at(299) },
      { step: "creating", status: "ok", message: null, at: at(290) },
      { step: "booting", status: "start", message: null, at: at(290) },
      { step: "agent:preflight", status: "start", message: null, at: at(230) },
      { step: "agent:preflight", status: "ok", message: null, at: at(228) },
      { step: "agent:ssh", status: "ok", message: null, at: at(225) },
      { step: "agent:packages", status: "ok", message: null, at: at(200) },
      { step: "agent:node", status: "ok", message: "node v24.21.0", at: at(170) },
      { step: "agent:agent-service", status: "ok", message: null, at: at(160) },
      { step: "booting", status: "ok", message: null, at: at(158) },
      { step: "agent_registered", status: "ok", message: "Agent 0.1.0 registered", at: at(158) },
      { step: "agent:openclaw-install", status: "start", message: null, at: at(150) },
    ];
    const installing = {
      ...base,
      state: "bootstrapping",
      step: "awaiting_agent",
      stateMessage: null,
      runningOpenclawVersion: null,
      agentVersion: "0.1.0",
      lastHeartbeatAt: at(3),
      readyAt: null,
      events: early,
    };
    const ready = {
      ...installing,
      state: "ready",
      step: "ready",
      runningOpenclawVersion: "2026.9.6",
      readyAt: at(20),
      lastHeartbeatAt: at(5),
      events: [
        ...early,
        { step: "agent:openclaw-install", status: "ok", message: "openclaw 2026.9.6", at: at(60) },
        { step: "agent:done", status: "ok", message: null, at: at(25) },
        { step: "agent:bootstrap", status: "ok", message: null, at: at(25) },
        { step: "ready", status: "ok", message: "OpenClaw 2026.9.6 is ready", at: at(20) },
      ],
    };
    let answer: unknown = installing;
    for (const options of [DESKTOP, PHONE, DARK]) {
      answer = installing;
      const page = await newPage(options);
      await signIn(page);
      await page.route(`**/api/v1/instances/${base.id}`, (route) => route.fulfill({ json: answer }));
      // The stream is refused: the page says so and polls instead.
      await page.route(`**/api/v1/instances/${base.id}/stream`, (route) => route.fulfill({ status: 503, body: "" }));
      await page.goto(`${server.url}/instances/${base.id}`);
      await waitForStatus(page, "install", "active");
      await step(page, "install").locator(".substep-active").getByText("Installing OpenClaw").waitFor();
      await step(page, "install").getByText("Locking down SSH").waitFor();
      expect(await step(page, "boot").getAttribute("data-status")).toBe("done");
      expect(await step(page, "agent").getAttribute("data-status")).toBe("done");
      await page.getByText("Connection lost, retrying…").waitFor();
      const kind = options === PHONE ? "phone" : options === DARK ? "desktop-dark" : "desktop-light";
      if (options === PHONE) await fitsPhone(page);
      await shot(page, `deploy-${kind}-installing`);

      // The next poll finds it ready.
      answer = ready;
      await page.getByRole("heading", { name: "Your assistant is ready" }).waitFor({ timeout: 10_000 });
      await page.getByText(/OpenClaw\s+2026\.9\.6\s+is running/).waitFor();
      await page.getByText(/seen \d+ s ago/).waitFor();
      await page.getByTestId("instance-announcer").filter({ hasText: "Your assistant is ready." }).waitFor();
      expect(await page.getByTestId("deploy-progress").count()).toBe(0);
      if (options === PHONE) await fitsPhone(page);
      await shot(page, `deploy-${kind}-ready`);
    }
  });

  test("no page broke the content security policy or threw", () => {
    expect(consoleProblems).toEqual([]);
  });
});
