// Azure and GCP cloud accounts through the API, against their simulators: a service principal or
// a service account key is checked live (Entra ID's token flow; a self-signed JWT), refused with a
// 4xx that names the problem when bad or under-privileged, and once stored lists regions and
// priced sizes for the wizard.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azureCredentials } from "../../../packages/providers/test/azure/harness.ts";
import { AZ_LIMITED_LACKS, type AzureSimulator, startAzureSimulator } from "../../../packages/providers/test/azure/simulator/index.ts";
import { type GcpSimulator, gcpKey, startGcpSimulator } from "../../../packages/providers/test/gcp/simulator/index.ts";
import { startTestApp, type TestApp, uniqueEmail } from "../../../test-support/test-app.ts";

let az: AzureSimulator;
let gcp: GcpSimulator;
let t: TestApp;

beforeAll(async () => {
  az = await startAzureSimulator();
  gcp = await startGcpSimulator();
  t = await startTestApp({
    env: {
      CLAWCLOUD_AZURE_API_URL: az.url,
      CLAWCLOUD_AZURE_LOGIN_URL: az.url,
      CLAWCLOUD_GCP_API_URL: gcp.url,
      CLAWCLOUD_GCP_RESOURCE_MANAGER_URL: gcp.url,
    },
  });
});
afterAll(async () => {
  await t?.stop();
  await az?.stop();
  await gcp?.stop();
});

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

async function client() {
  const c = t.client();
  await c.signUp(uniqueEmail("cloud"));
  return c;
}

describe.each([
  ["azure", azureCredentials("valid"), azureCredentials("revoked"), azureCredentials("limited"), AZ_LIMITED_LACKS[1] ?? "", "clientSecret"],
  ["gcp", gcpKey("valid"), gcpKey("revoked"), gcpKey("limited"), "compute.firewalls.create", "private_key"],
] as const)("%s", (provider, valid, revoked, limited, missing, secretField) => {
  it("adds the credential, checked live, and lists regions and priced sizes", async () => {
    const c = await client();
    const res = await c.post("/api/v1/credentials", { provider, label: provider, secret: valid });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; accountLabel: string };
    expect(JSON.stringify(body)).not.toContain((valid as Record<string, string>)[secretField]);
    const regions = (await (await c.get(`/api/v1/credentials/${body.id}/regions`)).json()) as { items: { id: string }[] };
    expect(regions.items.length).toBeGreaterThan(0);
    const sizes = (await (await c.get(`/api/v1/credentials/${body.id}/sizes`)).json()) as {
      items: { priceMonthlyCents: number; regions: string[] }[];
    };
    expect(sizes.items.length).toBeGreaterThan(0);
    expect(sizes.items.every((s) => s.priceMonthlyCents > 0 && s.regions.length > 0)).toBe(true);
  });

  it("refuses a revoked credential with CREDENTIAL_INVALID, and an under-privileged one naming what it lacks", async () => {
    const c = await client();
    const bad = await c.post("/api/v1/credentials", { provider, label: "bad", secret: revoked });
    expect(bad.status).toBe(422);
    const e = await errorOf(bad);
    expect(e.code).toBe("CREDENTIAL_INVALID");
    expect(e.message).not.toContain((revoked as Record<string, string>)[secretField]);
    const low = await c.post("/api/v1/credentials", { provider, label: "limited", secret: limited });
    expect(low.status).toBe(422);
    const l = await errorOf(low);
    expect(l.code).toBe("CREDENTIAL_INSUFFICIENT");
    expect(l.message).toContain(missing);
  });
});

it("validates the shape of a service principal and of a key file before calling anyone", async () => {
  const c = await client();
  const before = az.requests.length + gcp.requests.length;
  for (const [body, pattern] of [
    [{ provider: "azure", label: "x", secret: { ...azureCredentials(), tenantId: "contoso" } }, /tenant \(directory\) id is a GUID/],
    [{ provider: "azure", label: "x", secret: { ...azureCredentials(), resourceGroup: undefined } }, /resourceGroup/],
    [{ provider: "gcp", label: "x", secret: { ...gcpKey(), type: "authorized_user" } }, /service_account/],
    [{ provider: "gcp", label: "x", secret: { ...gcpKey(), private_key: "not a key" } }, /PEM key/],
  ] as const) {
    const res = await c.post("/api/v1/credentials", body);
    expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    expect((await errorOf(res)).message).toMatch(pattern);
  }
  expect(az.requests.length + gcp.requests.length).toBe(before);
});

it("lists Azure and GCP among the providers, with the least-privilege guide", async () => {
  const c = await client();
  const list = (await (await c.get("/api/v1/providers")).json()) as {
    items: { id: string; secretKind: string; notes: string; permissions: string[] }[];
  };
  const azure = list.items.find((p) => p.id === "azure");
  const g = list.items.find((p) => p.id === "gcp");
  expect(azure?.secretKind).toBe("azure");
  expect(azure?.notes).toMatch(/runCommand/);
  expect(azure?.permissions).not.toContain("Microsoft.Compute/virtualMachines/runCommand/action");
  expect(g?.secretKind).toBe("gcp");
  expect(g?.permissions).toEqual(["roles/compute.instanceAdmin.v1", "roles/compute.securityAdmin"]);
  expect(g?.notes).toMatch(/serviceAccountUser/);
});
