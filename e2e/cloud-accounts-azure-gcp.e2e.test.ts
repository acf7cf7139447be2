// Azure and GCP cloud accounts in a real browser against the real server, which talks to their
// simulators (Azure over HTTPS: the server process trusts the test-made CA through
// NODE_EXTRA_CA_CERTS): a person adds a service principal and a service account key, sees the
// least-privilege guide for each, and gets verified accounts. Screenshots at 375 px go to artifacts/.
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { azureCredentials } from "../packages/providers/test/azure/harness.ts";
import { type AzureSimulator, startAzureSimulator } from "../packages/providers/test/azure/simulator/index.ts";
import { testTls } from "../packages/providers/test/azure/simulator/tls.ts";
import { type GcpSimulator, gcpKey, startGcpSimulator } from "../packages/providers/test/gcp/simulator/index.ts";
import { launchBrowser } from "./support/browser.ts";
import { type E2eServer, startServer } from "./support/server.ts";
import { artifacts, Pages, type Person, PHONE, shot, signUp } from "./support/session.ts";

let az: AzureSimulator;
let gcp: GcpSimulator;
let server: E2eServer;
let browser: Browser;
const pages = new Pages(() => browser, /status of (401|422)/);

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  [az, gcp] = await Promise.all([startAzureSimulator(), startGcpSimulator()]);
  const caFile = join(tmpdir(), `clawcloud-e2e-ca-${process.pid}.pem`);
  writeFileSync(caFile, (await testTls()).ca);
  [server, browser] = await Promise.all([
    startServer({
      CLAWCLOUD_AZURE_API_URL: az.url,
      CLAWCLOUD_AZURE_LOGIN_URL: az.url,
      CLAWCLOUD_GCP_API_URL: gcp.url,
      CLAWCLOUD_GCP_RESOURCE_MANAGER_URL: gcp.url,
      NODE_EXTRA_CA_CERTS: caFile,
    }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await pages.close();
  await browser?.close();
  if (server) writeFileSync(join(artifacts, "cloud-accounts-azure-gcp-e2e-server.log"), `${server.logs().join("\n")}\n`);
  await server?.stop();
  await az?.stop();
  await gcp?.stop();
});

const person: Person = { name: "Ada Lovelace", email: `ada-${Date.now()}@example.com`, password: "analytical-engine-1843" };

async function saved(page: Page) {
  const answer = page.waitForResponse((r) => r.url().endsWith("/api/v1/credentials") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Verify and save" }).click();
  return (await answer).status();
}

describe("Azure and GCP accounts, in a browser at phone width", () => {
  test("a person adds a GCP key and an Azure service principal after reading what to grant", async () => {
    const page = await pages.open(PHONE);
    await signUp(page, server, person);

    await page.goto(`${server.url}/cloud-accounts/new?provider=gcp`);
    await page.getByRole("radio", { name: /Google Cloud/ }).check();
    await page.locator(".permission-list").getByText("roles/compute.instanceAdmin.v1", { exact: true }).waitFor();
    await page.locator(".permission-list").getByText("roles/compute.securityAdmin", { exact: true }).waitFor();
    await page.getByText(/Do not grant iam\.serviceAccountUser/).waitFor();
    const keyBox = page.getByLabel("Service account key (JSON)");
    await keyBox.fill("{ not json");
    await page.getByRole("button", { name: "Verify and save" }).click();
    await page.getByText("This is not the JSON of a key file").waitFor();
    await keyBox.fill(JSON.stringify(gcpKey("valid"), null, 2));
    await shot(page, "cloud-accounts-phone-gcp-add");
    expect(await saved(page)).toBe(201);
    await page.waitForURL(/\/cloud-accounts\/crd_/);

    await page.goto(`${server.url}/cloud-accounts/new?provider=azure`);
    await page.getByRole("radio", { name: /Microsoft Azure/ }).check();
    await page.getByText(/Not Contributor or Virtual Machine Contributor/).waitFor();
    const sp = azureCredentials("valid");
    await page.getByLabel("Tenant (directory) ID").fill(sp.tenantId);
    await page.getByLabel("Client (application) ID").fill(sp.clientId);
    await page.getByLabel("Client secret", { exact: true }).fill(sp.clientSecret);
    await page.getByLabel("Subscription ID").fill(sp.subscriptionId);
    await page.getByLabel("Resource group", { exact: true }).fill(sp.resourceGroup);
    await shot(page, "cloud-accounts-phone-azure-add");
    expect(await saved(page)).toBe(201);
    await page.waitForURL(/\/cloud-accounts\/crd_/);
    expect(await page.content()).not.toContain(sp.clientSecret);
    // Nothing wider than the phone: the forms and guides wrap.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(pages.consoleProblems).toEqual([]);
  });
});
