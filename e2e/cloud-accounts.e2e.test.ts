// Cloud accounts in a real browser against the real server, which talks to the DigitalOcean
// simulator: a new person signs up, adds a DigitalOcean token (a refused one first), sees it
// verified with only its last 4 characters, browses the account's regions and sizes with prices,
// and deletes it. Screenshots go to artifacts/.
import { join } from "node:path";
import type { BrowserContextOptions, Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { DO_LIMITED_LACKS, DO_TOKENS } from "../packages/providers/test/simulator/digitalocean.ts";
import type { E2eServer } from "./support/server.ts";
import {
  apiGet,
  artifacts,
  DESKTOP,
  type Person,
  PHONE,
  settle,
  shot,
  signIn as signInAs,
  signUp,
  useDigitalOceanE2e,
} from "./support/session.ts";

interface ApiError {
  error: { code: string; message: string };
}
interface Credential {
  id: string;
  label: string;
  last4: string;
  status: string;
}
interface Size {
  id: string;
  memoryMb: number;
  priceMonthlyCents: number;
  currency: string;
}

/** Tokens the simulator accepts (every scope) and refuses (revoked: 401, as DigitalOcean answers). */
const VALID_TOKEN = DO_TOKENS.valid;
const REFUSED_TOKEN = DO_TOKENS.revoked;
/** Lacks some of the scopes Claw Cloud needs (DO_LIMITED_LACKS). */
const LIMITED_TOKEN = DO_TOKENS.limited;

let server: E2eServer;
const pages = useDigitalOceanE2e(
  {
    logName: "cloud-accounts-e2e-server.log",
    // The browser logs every 4xx answer as an error: a 401 from /api/v1/me on a signed-out visit, and
    // the 422 this test provokes on purpose with a refused token.
    expectedConsole: /status of (401|422)/,
  },
  (e2e) => {
    server = e2e.server;
  },
);
const consoleProblems = pages.consoleProblems;
const newPage = (options?: BrowserContextOptions) => pages.open(options);

const person: Person = {
  name: "Grace Hopper",
  email: `grace-${Date.now()}@example.com`,
  password: "cobol-compiler-1959",
};

/** Every place a secret could linger in the page: its HTML, its storage, its inputs' values. */
async function pageHoldsText(page: Page, text: string): Promise<boolean> {
  const html = await page.content();
  const elsewhere = await page.evaluate((t) => {
    const storage = [localStorage, sessionStorage].flatMap((s) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`));
    const inputs = Array.from(document.querySelectorAll("input, textarea"), (el) => (el as HTMLInputElement).value);
    return [...storage, ...inputs, document.body.textContent ?? ""].some((v) => v.includes(t));
  }, text);
  return html.includes(text) || elsewhere;
}

const signIn = (page: Page) => signInAs(page, server, person);

async function openAddForm(page: Page) {
  await page.getByRole("link", { name: "Add cloud account" }).first().click();
  await page.waitForURL(`${server.url}/cloud-accounts/new`);
  await page.getByRole("heading", { level: 1, name: "Add a cloud account" }).waitFor();
  await page.getByRole("radio", { name: /DigitalOcean/ }).check();
}

async function submitToken(page: Page, label: string, token: string) {
  await page.getByLabel("Account name").fill(label);
  await page.getByLabel("API token", { exact: true }).fill(token);
  const answer = page.waitForResponse((r) => r.url().endsWith("/api/v1/credentials") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Verify and save" }).click();
  return answer;
}

describe("cloud accounts, in a browser", () => {
  test("a new person adds a DigitalOcean token, sees its regions and sizes, and deletes it", async () => {
    const page = await newPage();
    await signUp(page, server, person);

    await page.getByRole("link", { name: "Cloud accounts" }).click();
    await page.getByRole("heading", { level: 1, name: "Cloud accounts" }).waitFor();
    await page.getByRole("heading", { name: "No cloud accounts connected" }).waitFor();
    await shot(page, "cloud-accounts-desktop-light-empty");

    // The form shows the server's guide for DigitalOcean: where to make the token, what to grant.
    await openAddForm(page);
    const guides = await apiGet<{ items: { id: string; permissions: string[]; tokenUrl: string }[] }>(page, "/api/v1/providers");
    const guide = guides.items.find((g) => g.id === "digitalocean");
    expect(guide).toBeDefined();
    for (const permission of guide?.permissions ?? []) {
      await page.locator(".permission-list").getByText(permission, { exact: true }).waitFor();
    }
    expect(await page.getByRole("link", { name: /token page/ }).getAttribute("href")).toBe(guide?.tokenUrl);
    const tokenInput = page.getByLabel("API token", { exact: true });
    expect(await tokenInput.getAttribute("type")).toBe("password");
    expect(await tokenInput.getAttribute("autocomplete")).toBe("off");
    await shot(page, "cloud-accounts-desktop-light-add");

    // A token DigitalOcean refuses: the server's message, in the form; nothing is added.
    const refused = await submitToken(page, "Refused", REFUSED_TOKEN);
    expect(refused.status()).toBe(422);
    const refusal = (await refused.json()) as ApiError;
    expect(refusal.error.code).toBe("CREDENTIAL_INVALID");
    const alert = page.getByRole("alert").filter({ hasText: refusal.error.message });
    await alert.waitFor();
    expect((await alert.textContent())?.trim()).toBe(refusal.error.message);
    expect(await tokenInput.inputValue()).toBe(""); // the secret left the form with the request
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("secret");
    expect(new URL(page.url()).pathname).toBe("/cloud-accounts/new");
    expect((await apiGet<{ items: Credential[] }>(page, "/api/v1/credentials")).items).toEqual([]);
    expect(await pageHoldsText(page, REFUSED_TOKEN)).toBe(false);
    await shot(page, "cloud-accounts-desktop-light-add-refused");

    // A token without every permission: refused too, and the message names what is missing.
    const limited = await submitToken(page, "Limited", LIMITED_TOKEN);
    expect(limited.status()).toBe(422);
    const insufficient = (await limited.json()) as ApiError;
    expect(insufficient.error.code).toBe("CREDENTIAL_INSUFFICIENT");
    await page.getByRole("alert").filter({ hasText: insufficient.error.message }).waitFor();
    for (const missing of DO_LIMITED_LACKS) expect(insufficient.error.message).toContain(missing);
    expect(await tokenInput.inputValue()).toBe("");
    expect((await apiGet<{ items: Credential[] }>(page, "/api/v1/credentials")).items).toEqual([]);

    // A good token: checked live, stored, and the account's page opens.
    const token = VALID_TOKEN;
    const created = await submitToken(page, "Personal", token);
    expect(created.status()).toBe(201);
    const credential = (await created.json()) as Credential;
    expect(credential.last4).toBe(token.slice(-4));
    await page.waitForURL(`${server.url}/cloud-accounts/${credential.id}`);
    await page.getByRole("heading", { level: 1, name: "Personal" }).waitFor();
    await page.getByRole("status").filter({ hasText: "Connected." }).waitFor();
    await page.getByText("Verified", { exact: true }).first().waitFor();

    // Regions and sizes, read through this account, with monthly prices and sizing advice.
    await page.getByRole("heading", { name: "Regions and sizes from this account" }).waitFor();
    const sizes = (await apiGet<{ items: Size[] }>(page, `/api/v1/credentials/${credential.id}/sizes`)).items;
    const regions = (await apiGet<{ items: { name: string }[] }>(page, `/api/v1/credentials/${credential.id}/regions`)).items;
    expect(sizes.length).toBeGreaterThan(0);
    expect(regions.length).toBeGreaterThan(0);
    await page
      .locator(".region-list")
      .getByText(regions[0]?.name ?? "", { exact: true })
      .waitFor();
    const table = page.getByRole("table", { name: "Server sizes and monthly prices" });
    await table.waitFor();
    const cheapest = [...sizes].sort((a, b) => a.memoryMb - b.memoryMb || a.priceMonthlyCents - b.priceMonthlyCents)[0] as Size;
    const expectedPrice = await page.evaluate(
      ({ cents, currency }) =>
        new Intl.NumberFormat(undefined, {
          style: "currency",
          currency,
          minimumFractionDigits: cents % 100 === 0 ? 0 : 2,
          maximumFractionDigits: 2,
        }).format(cents / 100),
      { cents: cheapest.priceMonthlyCents, currency: cheapest.currency },
    );
    const firstRow = table.getByRole("row").nth(1);
    expect(await firstRow.getByRole("rowheader").textContent()).toBe(cheapest.id);
    expect(await firstRow.textContent()).toContain(expectedPrice);
    if (sizes.some((s) => s.memoryMb < 2048)) await table.getByText("OpenClaw needs at least 2 GB").first().waitFor();
    if (sizes.some((s) => s.memoryMb === 4096)) await table.getByText("Recommended").first().waitFor();
    expect(await pageHoldsText(page, token)).toBe(false);
    await shot(page, "cloud-accounts-desktop-light-detail");

    // The list: the account, verified, shown by its last 4 characters only.
    await page.getByRole("link", { name: "Cloud accounts" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Cloud accounts" }).waitFor();
    const row = page.getByTestId("cloud-account").filter({ hasText: "Personal" });
    await row.waitFor();
    expect((await row.textContent())?.replaceAll("\u00a0", " ")).toContain(`•••• ${token.slice(-4)}`);
    await row.getByText("Verified", { exact: true }).waitFor();
    expect(await page.getByTestId("cloud-account").count()).toBe(1);
    expect(await pageHoldsText(page, token)).toBe(false);
    await shot(page, "cloud-accounts-desktop-light-list");

    // Verify again: re-checked with DigitalOcean, the outcome announced next to the button.
    const verified = page.waitForResponse((r) => r.url().endsWith(`/api/v1/credentials/${credential.id}/verify`));
    await row.getByRole("button", { name: "Verify again" }).click();
    expect((await verified).status()).toBe(200);
    await row.getByRole("status").filter({ hasText: "DigitalOcean accepted it" }).waitFor();

    // Delete, after an accessible confirmation that says deployed servers are not affected.
    const deleteButton = row.getByRole("button", { name: "Delete Personal" });
    await deleteButton.click();
    const dialog = page.getByRole("dialog", { name: "Delete “Personal”?" });
    await dialog.waitFor();
    await dialog.getByText("Servers already deployed with it are not affected").waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
    await settle(page);
    await page.screenshot({ path: join(artifacts, "cloud-accounts-desktop-light-delete.png") });
    // Escape closes it and gives focus back; nothing is deleted.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Delete Personal");
    await deleteButton.click();
    const deleted = page.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/credentials/${credential.id}`) && r.request().method() === "DELETE",
    );
    await dialog.getByRole("button", { name: "Delete account" }).click();
    expect((await deleted).status()).toBe(204);
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("status").filter({ hasText: "“Personal” was deleted." }).waitFor();
    await page.getByRole("heading", { name: "No cloud accounts connected" }).waitFor();
    expect((await apiGet<{ items: Credential[] }>(page, "/api/v1/credentials")).items).toEqual([]);
  });

  test("dark theme and a 375 px phone: the same flow fits and reads", async () => {
    const dark = await newPage({ ...DESKTOP, colorScheme: "dark" });
    await signIn(dark);
    await dark.goto(`${server.url}/cloud-accounts/new`);
    await dark.getByRole("heading", { level: 1, name: "Add a cloud account" }).waitFor();
    await dark.locator(".permission-list").waitFor();
    await shot(dark, "cloud-accounts-desktop-dark-add");
    const created = await submitToken(dark, "Dark mode", VALID_TOKEN);
    const credential = (await created.json()) as Credential;
    await dark.waitForURL(`${server.url}/cloud-accounts/${credential.id}`);
    await dark.getByRole("table", { name: "Server sizes and monthly prices" }).waitFor();
    await shot(dark, "cloud-accounts-desktop-dark-detail");

    const phone = await newPage(PHONE);
    await signIn(phone);
    await phone.getByRole("button", { name: "Menu" }).click();
    await phone.getByRole("link", { name: "Cloud accounts" }).click();
    await phone.getByRole("heading", { level: 1, name: "Cloud accounts" }).waitFor();
    await phone.getByTestId("cloud-account").first().waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(phone, "cloud-accounts-phone-list");
    await phone.getByRole("link", { name: "Dark mode" }).click();
    await phone.getByRole("table", { name: "Server sizes and monthly prices" }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(phone, "cloud-accounts-phone-detail");
    await phone.getByRole("button", { name: "Delete Dark mode" }).click();
    await phone.getByRole("dialog").getByRole("button", { name: "Delete account" }).click();
    await phone.waitForURL(`${server.url}/cloud-accounts`);
    await phone.getByRole("heading", { name: "No cloud accounts connected" }).waitFor();
    await phone.getByRole("link", { name: "Add cloud account" }).click();
    await phone.getByLabel("API token", { exact: true }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(phone, "cloud-accounts-phone-add");
  });

  test("no token reached the server's log", () => {
    const log = server.logs().join("\n");
    expect(log).not.toContain(VALID_TOKEN);
    expect(log).not.toContain(REFUSED_TOKEN);
    expect(log).not.toContain(LIMITED_TOKEN);
  });

  test("no page broke the content security policy or threw", () => {
    expect(consoleProblems).toEqual([]);
  });
});
