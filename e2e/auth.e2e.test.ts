// A new person in a real browser against the real server: sign up, land on the empty dashboard,
// sign out, sign back in; a wrong password; themes; a phone; verify the e-mail and reset the
// password through the links the server writes to its log. Screenshots go to artifacts/.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser } from "./support/browser.ts";
import { type E2eServer, startServer } from "./support/server.ts";

const root = join(import.meta.dirname, "..");
const artifacts = join(root, "artifacts");
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, colorScheme: "light" };
const PHONE: BrowserContextOptions = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  colorScheme: "light",
};

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Console errors and CSP reports from every page, checked at the end. */
const consoleProblems: string[] = [];

const person = {
  name: "Ada Lovelace",
  email: `ada-${Date.now()}@example.com`,
  password: "analytical-engine-1843",
};

async function newPage(options: BrowserContextOptions = DESKTOP): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  page.on("console", (m) => {
    // A 401 from /api/v1/me is how a signed-out visit is detected; the browser logs it as an error.
    if (m.type() === "error" && !m.text().includes("401")) consoleProblems.push(m.text());
  });
  page.on("pageerror", (e) => consoleProblems.push(e.message));
  return page;
}

/** Lets open/close animations finish so screenshots show the settled UI. */
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

function shot(page: Page, name: string) {
  return page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

function path(page: Page): string {
  const u = new URL(page.url());
  return `${u.pathname}${u.search}`;
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function expectDashboard(page: Page) {
  await page.waitForURL(`${server.url}/instances`);
  await page.getByRole("heading", { level: 1, name: "Instances" }).waitFor();
}

/** The newest link the server "e-mailed" to this address (printed to its log without SMTP). */
async function mailedLink(to: string, subject: RegExp, after = 0): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const links = server
      .logs()
      .slice(after)
      .map((line) => JSON.parse(line) as { mail?: { to: string; subject: string; link?: string } })
      .filter((entry) => entry.mail?.to === to && subject.test(entry.mail.subject) && entry.mail.link);
    const last = links.at(-1)?.mail?.link;
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no e-mail matching ${subject} to ${to} in the server log`);
}

beforeAll(async () => {
  if (!existsSync(join(root, "apps", "web", "dist", "index.html"))) {
    throw new Error("The web app is not built: run `npm run build` before the e2e tests.");
  }
  mkdirSync(artifacts, { recursive: true });
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  if (server) writeFileSync(join(artifacts, "auth-e2e-server.log"), `${server.logs().join("\n")}\n`);
  await server?.stop();
});

describe("signing up and in, in a browser", () => {
  test("a new person signs up, sees the empty dashboard, signs out and back in", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/sign-in/);
    await page.getByRole("heading", { level: 1, name: "Sign in to Claw Cloud" }).waitFor();

    // The first Tab reaches the skip link.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");

    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL(/\/sign-up/);
    await page.getByText("At least 10 characters").waitFor();
    await page.getByLabel("Name").fill(person.name);
    await page.getByLabel("E-mail").fill(person.email);
    await page.getByLabel("Password", { exact: true }).fill(person.password);
    await shot(page, "desktop-light-sign-up");
    await page.getByRole("button", { name: "Create account" }).click();

    await expectDashboard(page);
    await page.getByRole("heading", { name: "No assistants yet" }).waitFor();
    await page.getByRole("link", { name: "Deploy your assistant" }).waitFor();
    await page.getByText("Verify your e-mail to deploy to a cloud.").waitFor();
    await shot(page, "desktop-light-instances-empty");

    await page.getByRole("button", { name: "Account menu" }).click();
    await page.getByText(`${person.name}'s workspace`, { exact: false }).first().waitFor();
    await settle(page);
    await shot(page, "desktop-light-account-menu");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${server.url}/sign-in`);

    // The session is gone: an app page sends you to sign in, and back there afterwards.
    await page.goto(`${server.url}/cloud-accounts`);
    await page.waitForURL(/\/sign-in\?next=%2Fcloud-accounts$/);
    await signIn(page, person.email, person.password);
    await page.waitForURL(`${server.url}/cloud-accounts`);
    await page.getByText("Your token is encrypted and only its last 4 characters are ever shown.").waitFor();
    await page.getByRole("link", { name: "Instances", exact: true }).click();
    await expectDashboard(page);
  });

  test("a wrong password shows the server's message in the form", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/sign-in`);
    const answer = page.waitForResponse((r) => r.url().endsWith("/api/auth/sign-in/email"));
    await signIn(page, person.email, "not-the-right-password");
    const response = await answer;
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(response.status()).toBe(401);
    expect(body.error.code).toBe("INVALID_CREDENTIALS");

    const alert = page.getByRole("alert").filter({ hasText: body.error.message });
    await alert.waitFor();
    expect((await alert.textContent())?.trim()).toBe(body.error.message);
    expect(path(page)).toBe("/sign-in");
    await shot(page, "desktop-light-sign-in-error");
  });

  test("the theme follows the system and can be forced, surviving a reload", async () => {
    const page = await newPage({ ...DESKTOP, colorScheme: "dark" });
    await page.goto(`${server.url}/sign-in`);
    await signIn(page, person.email, person.password);
    await expectDashboard(page);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    expect(await theme()).toBe("system");
    expect(await background()).toBe("rgb(12, 12, 16)");
    await shot(page, "desktop-dark-instances-empty");

    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
    await page.getByTestId("workspace-name").getByText(`${person.name}'s workspace`).waitFor();
    await shot(page, "desktop-dark-settings");

    await page.getByRole("radio", { name: "Light" }).last().check();
    expect(await theme()).toBe("light");
    expect(await background()).toBe("rgb(247, 247, 249)");
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
    expect(await theme()).toBe("light");
    await shot(page, "desktop-light-settings");
  });

  test("on a 375×812 phone the navigation sits behind a menu button", async () => {
    const page = await newPage(PHONE);
    await page.goto(`${server.url}/sign-in`);
    await shot(page, "phone-sign-in");
    await signIn(page, person.email, person.password);
    await expectDashboard(page);

    const menu = page.getByRole("button", { name: "Menu" });
    expect(await menu.isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Cloud accounts" }).isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(page, "phone-instances-empty");

    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    await page.getByRole("link", { name: "Cloud accounts" }).waitFor();
    await settle(page);
    await page.screenshot({ path: join(artifacts, "phone-menu-open.png") });
    await page.getByRole("link", { name: "Cloud accounts" }).click();
    await page.getByRole("heading", { level: 1, name: "Cloud accounts" }).waitFor();
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    // After a client-side navigation, focus starts at the new page's heading.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cloud accounts");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  test("verifying the e-mail from its link removes the banner", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/sign-in`);
    await signIn(page, person.email, person.password);
    await expectDashboard(page);
    const before = server.logs().length;
    await page.getByRole("button", { name: "Resend verification e-mail" }).first().click();
    await page.getByText(`Sent to ${person.email}`).waitFor();

    await page.goto(await mailedLink(person.email, /verify/i, before));
    await expectDashboard(page);
    await page.getByRole("heading", { name: "No assistants yet" }).waitFor();
    expect(await page.getByText("Verify your e-mail to deploy to a cloud.").count()).toBe(0);
  });

  test("a forgotten password is reset through the e-mailed link, which works once", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.getByLabel("E-mail").fill(person.email);
    const before = server.logs().length;
    await page.getByRole("button", { name: "Send reset link" }).click();
    await page.getByText("If an account exists").waitFor();

    const link = await mailedLink(person.email, /reset/i, before);
    await page.goto(link);
    await page.waitForURL(/\/reset-password\?token=/);
    person.password = "difference-engine-1822";
    await page.getByLabel("New password", { exact: true }).fill(person.password);
    await page.getByRole("button", { name: "Save new password" }).click();
    await page.waitForURL(/\/sign-in\?reset=success/);
    await page.getByText("Your password was changed.").waitFor();
    await signIn(page, person.email, person.password);
    await expectDashboard(page);

    await page.goto(link);
    await page.waitForURL(/\/reset-password\?error=INVALID_TOKEN/);
    await page.getByRole("link", { name: "Request a new link" }).waitFor();
  });

  test("no page broke the content security policy or threw", () => {
    expect(consoleProblems).toEqual([]);
  });
});
