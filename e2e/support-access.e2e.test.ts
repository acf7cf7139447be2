// Support access on the instance page, in a real browser against the real server (DigitalOcean
// simulator; no agent dials, so the grant waits for it): the state always shown, the grant dialog
// (keyboard, validation), "Revoke now", and the phone layout. Screenshots go to artifacts/.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, test } from "vitest";
import { DO_TOKENS } from "../packages/providers/test/simulator/digitalocean.ts";
import { fitsPhone, type Instance, RECOMMENDED, REGION } from "./support/deploy.ts";
import type { E2eServer } from "./support/server.ts";
import {
  apiPost,
  DARK,
  type Person,
  PHONE,
  settledShot as shot,
  signIn,
  signUpReadyToDeploy,
  useDigitalOceanE2e,
} from "./support/session.ts";

const keyDir = mkdtempSync(join(tmpdir(), "cc-e2e-support-"));
execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(keyDir, "support")]);
const supportKey = readFileSync(join(keyDir, "support.pub"), "utf8").trim();
const owner: Person = { name: "Dorothy Vaughan", email: `dorothy-${Date.now()}@example.com`, password: "fortran-ibm-7090-west" };

let server: E2eServer;
const pages = useDigitalOceanE2e(
  {
    env: { CLAWCLOUD_AGENT_URL: "https://clawcloud.example.test", CLAWCLOUD_SUPPORT_SSH_PUBLIC_KEY: supportKey },
    logName: "support-access-e2e-server.log",
    expectedConsole: /status of 401/,
  },
  (e2e) => {
    server = e2e.server;
  },
);
let instanceId: string;

beforeAll(async () => {
  const page = await pages.open();
  await signUpReadyToDeploy(page, server, owner, "Personal", DO_TOKENS.valid);
  const accounts = await page.evaluate(async () => (await (await fetch("/api/v1/credentials")).json()) as { items: { id: string }[] });
  const created = await apiPost<Instance>(page, "/api/v1/instances", {
    name: "support-me",
    provider: "digitalocean",
    credentialId: accounts.items[0]?.id,
    region: REGION.id,
    size: RECOMMENDED,
  });
  expect(created.status).toBe(201);
  instanceId = created.body.id;
});

async function openInstance(page: Page) {
  await signIn(page, server, owner);
  await page.goto(`${server.url}/instances/${instanceId}`);
  const panel = page.getByTestId("support-access");
  await panel.getByText("No one but you can reach this server.").waitFor();
  // The grant needs the server to exist: wait for the deploy to reach "booting".
  await panel.getByRole("button", { name: "Grant support access" }).waitFor({ timeout: 60_000 });
  return panel;
}

describe("support access, in a browser", () => {
  test("grant with the dialog, see until when, revoke now", async () => {
    const page = await pages.open(DARK);
    const panel = await openInstance(page);
    await shot(page, "support-access-none-dark");

    // Keyboard: open, Escape closes, focus returns to the button.
    await panel.getByRole("button", { name: "Grant support access" }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Grant support access" });
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Grant support access");

    await page.keyboard.press("Enter");
    await dialog.getByLabel("Duration (hours)").fill("30");
    await dialog.getByRole("button", { name: "Grant access" }).click();
    await dialog.getByText("Choose 1 to 24 hours").waitFor();
    await dialog.getByText("Say what support should look at").waitFor();
    await dialog.getByLabel("Duration (hours)").fill("4");
    await dialog.getByLabel("Reason").fill("The gateway restarts every hour <b>bold?</b>");
    await shot(page, "support-access-dialog-dark");
    const granted = page.waitForResponse((r) => r.url().endsWith("/support-access") && r.request().method() === "POST");
    await dialog.getByRole("button", { name: "Grant access" }).click();
    expect((await granted).status()).toBe(201);
    await dialog.waitFor({ state: "hidden" });

    await panel.getByText(/Support can reach this server until/).waitFor();
    await panel.getByText("Reason: The gateway restarts every hour <b>bold?</b>").waitFor(); // text, never markup
    await shot(page, "support-access-granted-dark");

    await panel.getByRole("button", { name: "Revoke now" }).click();
    await panel.getByText("No one but you can reach this server.").waitFor();
    const timeline = page.locator("details.timeline");
    await timeline.locator("summary").click();
    await timeline.getByText("Support access granted").first().waitFor();
    await timeline.getByText("Support access revoked").first().waitFor();
  });

  test("fits a phone", async () => {
    const page = await pages.open(PHONE);
    const panel = await openInstance(page);
    await panel.getByRole("button", { name: "Grant support access" }).click();
    const dialog = page.getByRole("dialog", { name: "Grant support access" });
    await dialog.getByLabel("Reason").fill("Phone check");
    await fitsPhone(page);
    await shot(page, "support-access-dialog-phone");
    await dialog.getByRole("button", { name: "Grant access" }).click();
    await panel.getByRole("button", { name: "Revoke now" }).waitFor();
    await fitsPhone(page);
    await shot(page, "support-access-granted-phone");
    await panel.getByRole("button", { name: "Revoke now" }).click();
    await panel.getByText("No one but you can reach this server.").waitFor();
    expect(pages.consoleProblems).toEqual([]);
  });
});
