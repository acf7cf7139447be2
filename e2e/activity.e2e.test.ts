// The Activity page (the workspace's audit log) in a real browser: a new person signs up, adds a
// cloud account, and finds both in Activity, filters them (with the empty state for a filter that
// matches nothing), downloads the CSV, and reads it on a phone. Screenshots go to artifacts/.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { DO_TOKENS } from "../packages/providers/test/simulator/digitalocean.ts";
import type { E2eServer } from "./support/server.ts";
import { addDigitalOceanAccount, DESKTOP, type Person, PHONE, settledShot, signIn, signUp, useDigitalOceanE2e } from "./support/session.ts";

let server: E2eServer;
const pages = useDigitalOceanE2e({ logName: "activity-e2e-server.log", expectedConsole: /status of 401/ }, (e2e) => {
  server = e2e.server;
});

const person: Person = { name: "Ada Audit", email: `ada-audit-${Date.now()}@example.com`, password: "correct horse battery" };

async function openActivity(page: Page) {
  await page.getByRole("link", { name: "Activity" }).first().click();
  await page.waitForURL(`${server.url}/activity`);
  await expect.poll(() => page.getByRole("heading", { name: "Activity", level: 1 }).isVisible()).toBe(true);
}

describe("the Activity page", () => {
  test("shows, filters and exports the workspace's audit log", async () => {
    const page = await pages.open(DESKTOP);
    await signUp(page, server, person);
    expect((await addDigitalOceanAccount(page, "Audited DO", DO_TOKENS.valid)).status).toBe(201);
    await openActivity(page);

    const table = page.getByRole("table");
    await expect.poll(() => table.getByRole("row").count()).toBe(3); // header + 2 entries
    const rows = await table.getByRole("row").allInnerTexts();
    expect(rows[1]).toContain("Cloud account added");
    expect(rows[1]).toContain("“Audited DO”");
    expect(rows[1]).toContain(person.email);
    expect(rows[2]).toContain("Account created");
    await settledShot(page, "activity-desktop");

    // Filter by action; then one that matches nothing.
    await page.getByLabel("Action").selectOption({ label: "Cloud account added" });
    await expect.poll(() => table.getByRole("row").count()).toBe(2);
    await page.getByLabel("Action").selectOption({ label: "Deploy started" });
    await expect.poll(() => page.getByRole("heading", { name: "Nothing matches these filters" }).isVisible()).toBe(true);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => page.getByRole("table").getByRole("row").count()).toBe(3);

    // The CSV download, with the current filters.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^clawcloud-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path()) as string, "utf8");
    expect(csv.split("\r\n")[0]).toContain('"time","action"');
    expect(csv).toContain('"credential.create"');
    expect(csv).not.toContain(DO_TOKENS.valid);
  });

  test("reads on a phone without sideways scrolling", async () => {
    const page = await pages.open(PHONE);
    await signIn(page, server, person);
    await page.getByRole("button", { name: /menu/i }).click();
    await openActivity(page);
    await expect.poll(() => page.getByRole("table").getByRole("row").count()).toBeGreaterThan(2);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await settledShot(page, "activity-phone");
    expect(pages.consoleProblems).toEqual([]);
  });
});
