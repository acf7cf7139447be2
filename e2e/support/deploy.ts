// The deploy wizard and progress view, for the deploy e2e files: the wizard's cloud steps, the
// Deploy button's answer, and the progress steps.
import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { DigitalOceanE2e } from "./session.ts";
import { type Pages, type Person, settledShot as shot, useDigitalOceanE2e } from "./session.ts";

export interface Instance {
  id: string;
  name: string;
  state: string;
  step: string;
  stateMessage: string | null;
  events: { step: string; status: string; message: string | null }[];
}

export const person: Person = {
  name: "Katherine Johnson",
  email: `katherine-${Date.now()}@example.com`,
  password: "trajectory-friendship-7",
};
export const REGION = { id: "nyc3", name: "New York 3" };
export const RECOMMENDED = "s-2vcpu-4gb";

export async function fitsPhone(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
}

export function focusedText(page: Page): Promise<string | null | undefined> {
  return page.evaluate(() => document.activeElement?.textContent);
}

/** Steps 1 and 2 of the wizard: the DigitalOcean account, New York 3 and the recommended size. */
export async function chooseCloud(page: Page, screenshots?: string) {
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

export async function deploy(page: Page): Promise<{ status: number; body: Instance }> {
  const answer = page.waitForResponse((r) => r.url().endsWith("/api/v1/instances") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  const response = await answer;
  return { status: response.status(), body: (await response.json()) as Instance };
}

export function step(page: Page, id: string) {
  return page.locator(`[data-testid=deploy-progress] [data-step=${id}]`);
}

export async function waitForStatus(page: Page, id: string, status: string, timeout = 60_000) {
  await page.locator(`[data-testid=deploy-progress] [data-step=${id}][data-status=${status}]`).waitFor({ timeout });
}

/** The server, wired to a DigitalOcean simulator, for a deploy e2e file (see useDigitalOceanE2e). */
export function useDeployE2e(logName: string, started: (e2e: DigitalOceanE2e) => void): Pages {
  return useDigitalOceanE2e(
    {
      // Cloud deploys need an https address for the agents to dial; no agent dials in these tests.
      env: { CLAWCLOUD_AGENT_URL: "https://clawcloud.example.test" },
      logName,
      // The browser logs every 4xx answer as an error: a 401 from /api/v1/me on a signed-out visit.
      // The 503 is the stubbed stream refusal in deploy-progress.
      expectedConsole: /status of (401|503)/,
    },
    started,
  );
}
