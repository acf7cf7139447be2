// Deploy progress in a real browser against the real server, which talks to the DigitalOcean
// simulator, for a verified person with a DigitalOcean account: a provider refusal fails a deploy
// with the provider's message and offers "Retry" on the same instance, or "Edit and deploy again"
// with the same choices; the setup steps an agent reports, a dropped stream and the ready panel
// (stubbed answers). Screenshots (light, dark, phone) go to artifacts/.
import type { BrowserContextOptions, Page } from "playwright-core";
import { beforeAll, describe, expect, test } from "vitest";
import { type DigitalOceanSimulator, DO_TOKENS } from "../packages/providers/test/simulator/digitalocean.ts";
import {
  chooseCloud,
  deploy,
  fitsPhone,
  focusedText,
  type Instance,
  person,
  RECOMMENDED,
  REGION,
  step,
  useDeployE2e,
  waitForStatus,
} from "./support/deploy.ts";
import type { E2eServer } from "./support/server.ts";
import { apiGet, DARK, DESKTOP, PHONE, settledShot as shot, signIn as signInAs, signUpReadyToDeploy } from "./support/session.ts";

let sim: DigitalOceanSimulator;
let server: E2eServer;
const pages = useDeployE2e("deploy-progress-e2e-server.log", (e2e) => {
  ({ sim, server } = e2e);
});
const consoleProblems = pages.consoleProblems;
const newPage = (options?: BrowserContextOptions) => pages.open(options);
const signIn = (page: Page) => signInAs(page, server, person);

beforeAll(async () => {
  await signUpReadyToDeploy(await newPage(), server, person, "Personal", DO_TOKENS.valid);
});

describe("deploy progress, in a browser", () => {
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
      // The stubbed instance has no support access (the server does not know it).
      await page.route(`**/api/v1/instances/${base.id}/support-access`, (route) => route.fulfill({ json: { active: false, grant: null } }));
      // Nor its health history: an empty chart once it is ready.
      await page.route(`**/api/v1/instances/${base.id}/metrics?*`, (route) =>
        route.fulfill({ json: { range: "1h", stepSec: 60, from: at(0), to: at(60), points: [] } }),
      );
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
