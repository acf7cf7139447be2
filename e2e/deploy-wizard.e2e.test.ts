// Deploying in a real browser against the real server, which talks to the DigitalOcean simulator:
// an unverified person is told up front that cloud deploys wait for a verified e-mail (this
// machine stays open); once verified, they deploy to DigitalOcean through the wizard, watch the
// progress advance to "waiting for the agent" (no real agent runs here), and delete the instance,
// which deletes the droplet; the wizard and the progress view on a phone. Failures and the views
// past the agent are in deploy-progress.e2e.test.ts. Screenshots (light, dark, phone) go to artifacts/.
import { join } from "node:path";
import type { BrowserContextOptions, Page } from "playwright-core";
import { describe, expect, test } from "vitest";
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
import {
  addDigitalOceanAccount,
  apiGet,
  artifacts,
  DARK,
  PHONE,
  settle,
  settledShot as shot,
  signIn as signInAs,
  signUp,
  verifyEmail,
} from "./support/session.ts";

let sim: DigitalOceanSimulator;
let server: E2eServer;
const pages = useDeployE2e("deploy-wizard-e2e-server.log", (e2e) => {
  ({ sim, server } = e2e);
});
const consoleProblems = pages.consoleProblems;
const newPage = (options?: BrowserContextOptions) => pages.open(options);
const signIn = (page: Page) => signInAs(page, server, person);

describe("deploying, in a browser", () => {
  test("before the e-mail is verified, cloud accounts are shown disabled with the reason; this machine is open", async () => {
    const page = await newPage();
    await signUp(page, server, person);

    // A cloud account can be added before verifying; deploying to it has to wait.
    const added = await addDigitalOceanAccount(page, "Personal", DO_TOKENS.valid);
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
    await verifyEmail(page, server, person, before);

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

  test("no page broke the content security policy or threw", () => {
    expect(consoleProblems).toEqual([]);
  });
});
