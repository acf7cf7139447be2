// What the browser e2e files share: the viewports, pages that collect console problems, screenshots,
// the JSON API with the page's session, and the account steps (sign up, sign in, verify the e-mail
// from the server's log, add a DigitalOcean token), plus a server wired to the DigitalOcean simulator.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { type DigitalOceanSimulator, startDigitalOceanSimulator } from "../../packages/providers/test/simulator/digitalocean.ts";
import { createPostgresDatabase, type PostgresDatabase } from "../../test-support/postgres-database.ts";
import { launchBrowser } from "./browser.ts";
import { type E2eServer, startServer } from "./server.ts";

const root = join(import.meta.dirname, "..", "..");
export const artifacts = join(root, "artifacts");

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, colorScheme: "light" };
export const DARK: BrowserContextOptions = { ...DESKTOP, colorScheme: "dark" };
export const PHONE: BrowserContextOptions = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  colorScheme: "light",
};

export interface Person {
  name: string;
  email: string;
  password: string;
}

/** Pages in their own contexts, whose console errors and page errors are collected for a final check. */
export class Pages {
  readonly consoleProblems: string[] = [];
  readonly #contexts: BrowserContext[] = [];
  readonly #browser: () => Browser;
  /** Console errors to let pass: the browser logs every 4xx answer as an error. */
  readonly #expected: RegExp;
  constructor(browser: () => Browser, expected: RegExp) {
    this.#browser = browser;
    this.#expected = expected;
  }
  async open(options: BrowserContextOptions = DESKTOP): Promise<Page> {
    const context = await this.#browser().newContext(options);
    this.#contexts.push(context);
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" && !this.#expected.test(m.text())) this.consoleProblems.push(m.text());
    });
    page.on("pageerror", (e) => this.consoleProblems.push(e.message));
    return page;
  }
  async close(): Promise<void> {
    for (const context of this.#contexts) await context.close().catch(() => {});
  }
}

/** The real server talking to a fresh DigitalOcean simulator, and a browser. */
export interface DigitalOceanE2e {
  sim: DigitalOceanSimulator;
  server: E2eServer;
  browser: Browser;
}

/**
 * Starts the simulator, the server wired to it (plus `env`) and a browser before the file's tests,
 * hands them to `started`, and stops them after, keeping the server's log as artifacts/`logName`.
 * Returns the pages the tests open; their console problems are collected unless they match `expectedConsole`.
 */
export function useDigitalOceanE2e(
  o: { env?: Record<string, string>; logName: string; expectedConsole: RegExp },
  started: (e2e: DigitalOceanE2e) => void,
): Pages {
  const e2e: Partial<DigitalOceanE2e> = {};
  const pages = new Pages(() => e2e.browser as Browser, o.expectedConsole);
  beforeAll(async () => {
    if (!existsSync(join(root, "apps", "web", "dist", "index.html"))) {
      throw new Error("The web app is not built: run `npm run build` before the e2e tests.");
    }
    mkdirSync(artifacts, { recursive: true });
    e2e.sim = await startDigitalOceanSimulator();
    [e2e.server, e2e.browser] = await Promise.all([
      startServer({ CLAWCLOUD_DIGITALOCEAN_API_URL: e2e.sim.url, ...o.env }),
      launchBrowser(),
    ]);
    started(e2e as DigitalOceanE2e);
  });
  afterAll(async () => {
    await pages.close();
    await e2e.browser?.close();
    if (e2e.server) writeFileSync(join(artifacts, o.logName), `${e2e.server.logs().join("\n")}\n`);
    await e2e.server?.stop();
    await e2e.sim?.stop();
  });
  return pages;
}

/**
 * The server on a fresh PostgreSQL database of its own (so a test can plant rows while it runs)
 * and a browser, before the file's tests; both stopped and the database dropped after.
 */
export function usePostgresE2e(o: { expectedConsole: RegExp }, started: (e2e: { server: E2eServer; databaseUrl: string }) => void): Pages {
  let browser: Browser | undefined;
  let server: E2eServer | undefined;
  let db: PostgresDatabase | undefined;
  const pages = new Pages(() => browser as Browser, o.expectedConsole);
  beforeAll(async () => {
    if (!existsSync(join(root, "apps", "web", "dist", "index.html"))) {
      throw new Error("The web app is not built: run `npm run build` before the e2e tests.");
    }
    mkdirSync(artifacts, { recursive: true });
    db = await createPostgresDatabase(process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test", "cc_e2e");
    [server, browser] = await Promise.all([startServer({ DATABASE_URL: db.url }), launchBrowser()]);
    started({ server, databaseUrl: db.url });
  });
  afterAll(async () => {
    await pages.close();
    await browser?.close();
    await server?.stop();
    await db?.drop();
  });
  return pages;
}

/** Waits for open/close animations so screenshots show the settled UI. */
export async function settle(page: Page) {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Number.POSITIVE_INFINITY)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}

/** A full-page screenshot into artifacts/, from the top so the sticky top bar is drawn where it belongs. */
export async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** GET a JSON API path with the page's session. */
export function apiGet<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const response = await fetch(p, { headers: { accept: "application/json" } });
    return (await response.json()) as unknown;
  }, path) as Promise<T>;
}

/** POST JSON to an API path with the page's session. */
export function apiPost<T>(page: Page, path: string, body: unknown): Promise<{ status: number; body: T }> {
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
export async function mailedLink(server: E2eServer, to: string, subject: RegExp, after = 0): Promise<string> {
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

/** Signs a new person up through the form; they land on the (empty) instances page. */
export async function signUp(page: Page, server: E2eServer, person: Person) {
  await page.goto(`${server.url}/sign-up`);
  await page.getByLabel("Name").fill(person.name);
  await page.getByLabel("E-mail").fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${server.url}/instances`);
}

export async function signIn(page: Page, server: E2eServer, person: Person) {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel("E-mail").fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${server.url}/instances`);
}

/** Opens the newest verification link the server e-mailed to this person (after log line `after`). */
export async function verifyEmail(page: Page, server: E2eServer, person: Person, after = 0) {
  await page.goto(await mailedLink(server, person.email, /verify/i, after));
  await page.waitForURL(`${server.url}/instances`);
}

/** Adds a DigitalOcean cloud account through the API (the server checks the token live). */
export function addDigitalOceanAccount(page: Page, label: string, token: string) {
  return apiPost<{ id: string }>(page, "/api/v1/credentials", { provider: "digitalocean", label, secret: token });
}

/** A new person, signed up, with a verified e-mail and a DigitalOcean account `label`: ready to deploy. */
export async function signUpReadyToDeploy(page: Page, server: E2eServer, person: Person, label: string, token: string) {
  await signUp(page, server, person);
  await verifyEmail(page, server, person);
  const added = await addDigitalOceanAccount(page, label, token);
  if (added.status !== 201) throw new Error(`adding the DigitalOcean account answered ${added.status}: ${JSON.stringify(added.body)}`);
}

/** `shot` once animations have finished. */
export async function settledShot(page: Page, name: string) {
  await settle(page);
  await shot(page, name);
}
