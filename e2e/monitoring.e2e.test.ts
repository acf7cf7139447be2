import { openDatabase, schema } from "@clawcloud/db";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { newId } from "../packages/core/src/ids.ts";
import { fitsPhone } from "./support/deploy.ts";
import type { E2eServer } from "./support/server.ts";
import { PHONE, settledShot, signIn, signUp, usePostgresE2e } from "./support/session.ts";

const person = { name: "Grace Hopper", email: `grace-${Date.now()}@example.com`, password: "compiler-cobol-1959" };
const instanceId = newId("instance");

let server: E2eServer;
let databaseUrl: string;
// 401: the signed-out check on the sign-in page; 400: the refused webhook URL.
const pages = usePostgresE2e({ expectedConsole: /status of 40[01]/ }, (e2e) => {
  ({ server, databaseUrl } = e2e);
});

/** A degraded instance in the person's workspace with 3 days of 1-minute points, one with the gateway down. */
async function plantInstance(page: Page) {
  const me = await page.evaluate(async () => (await (await fetch("/api/v1/me")).json()) as { workspace: { id: string } });
  const database = await openDatabase({ url: databaseUrl, dataDir: server.dataDir });
  try {
    await database.db.insert(schema.instances).values({
      id: instanceId,
      workspaceId: me.workspace.id,
      name: "watched",
      provider: "digitalocean",
      state: "degraded",
      step: "ready",
      stateMessage: "The disk is 93% full.",
      runningOpenclawVersion: "2026.9.6",
      agentVersion: "0.1.0",
      lastHeartbeatAt: new Date(),
    });
    // Its agent tried a newer version of itself, which did not take over.
    await database.db.insert(schema.instanceOperations).values({
      id: newId("operation"),
      instanceId,
      kind: "agent_update",
      fromVersion: "0.1.0",
      toVersion: "0.1.1",
      step: "done",
      status: "rolled_back",
      message: "Agent 0.1.1 did not take over (the new agent exited with code 1 before it connected); agent 0.1.0 runs again.",
      finishedAt: new Date(),
    });
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const points = Array.from({ length: 3 * 1440 }, (_, k) => ({
      instanceId,
      bucket: new Date(now - k * 60_000),
      cpuLoad: 0.4 + 0.3 * Math.sin(k / 30),
      cpuCores: 2,
      memUsedMb: 1800 + (k % 60) * 5,
      memTotalMb: 4096,
      diskUsedMb: 46_500 - k * 2,
      diskTotalMb: 50_000,
      gatewayHealthy: k !== 12,
      samples: 4,
      openclawVersion: "2026.9.6",
      agentVersion: "0.1.0",
    }));
    for (let k = 0; k < points.length; k += 1000) await database.db.insert(schema.instanceMetrics).values(points.slice(k, k + 1000));
  } finally {
    await database.close();
  }
}

describe("monitoring", () => {
  test("the instance page charts its health, with a summary and a table, on a desktop and a phone", async () => {
    const page = await pages.open();
    await signUp(page, server, person);
    await plantInstance(page);
    await page.goto(`${server.url}/instances/${instanceId}`);
    const panel = page.getByRole("region", { name: "Health over time" });
    await panel.waitFor();
    await expect.poll(() => panel.locator("canvas").count()).toBe(4);
    const summary = panel.locator(".metrics-summary");
    await expect
      .poll(() => summary.textContent())
      .toMatch(/^Over the last hour: CPU averaged .*the gateway was unhealthy in 1 of \d+ intervals\.$/);
    await panel.getByText("Show the figures as a table").click();
    expect(await panel.getByRole("table").getByRole("row").count()).toBeGreaterThan(55);
    await settledShot(page, "monitoring-instance-desktop");
    const agent = page.locator(".detail", { has: page.getByText("Agent", { exact: true }) });
    expect(await agent.locator("dd").textContent()).toMatch(
      /^0\.1\.0 ?Agent 0\.1\.1 did not take over \(the new agent exited with code 1 before it connected\); agent 0\.1\.0 runs again\.$/,
    );
    await panel.getByLabel("7 days").check();
    await expect.poll(() => summary.textContent()).toMatch(/^Over the last 7 days:/);
    expect(await panel.getByRole("table").getByRole("row").count()).toBeLessThanOrEqual(170);

    const phone = await pages.open(PHONE);
    await signIn(phone, server, person);
    await phone.goto(`${server.url}/instances/${instanceId}`);
    await phone.getByRole("region", { name: "Health over time" }).locator("canvas").first().waitFor();
    await fitsPhone(phone);
    await settledShot(phone, "monitoring-instance-phone");
  });

  test("alerts settings: e-mail on by default, a bad webhook is explained, the secret is shown once", async () => {
    const page = await pages.open();
    await signIn(page, server, person);
    await page.goto(`${server.url}/settings`);
    const section = page.getByRole("region", { name: "Alerts" });
    const email = section.getByLabel("E-mail me alerts");
    await email.waitFor();
    expect(await email.isChecked()).toBe(true);
    expect(await section.textContent()).toContain(person.email);
    await section.getByLabel("Webhook URL").fill("https://10.0.0.7/hook");
    await section.getByRole("button", { name: "Save webhook" }).click();
    await section.getByText(/private or internal address/).waitFor();
    await section.getByLabel("Webhook URL").fill("https://hooks.example.com/claw-cloud");
    await section.getByRole("button", { name: "Save webhook" }).click();
    const secret = (await section.getByTestId("webhook-secret").locator("code").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await settledShot(page, "monitoring-alerts-settings");
    await email.uncheck();
    await expect
      .poll(async () => (await page.evaluate(async () => (await fetch("/api/v1/me/alerts")).json())) as { emailEnabled: boolean })
      .toMatchObject({ emailEnabled: false });
    await page.reload();
    await section.getByLabel("Webhook URL").waitFor();
    expect(await section.getByLabel("Webhook URL").inputValue()).toBe("https://hooks.example.com/claw-cloud");
    expect(await section.getByLabel("E-mail me alerts").isChecked()).toBe(false);
    expect(await page.content()).not.toContain(secret);
    expect(pages.consoleProblems).toEqual([]);
  });
});
