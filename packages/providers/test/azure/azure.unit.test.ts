// Azure driver behaviour beyond the shared suite: what goes over the wire, If-None-Match on the VM
// PUT, long-running operations that fail or are slow, throttling, teardown of every piece, and
// both credential checks (a bad secret, a role without a needed action).

import { afterEach, describe, expect, it, vi } from "vitest";
import { createAzureDriver } from "../../src/azure/driver.ts";
import { bucketEmpty, throttlePolicy } from "../../src/azure/throttle.ts";
import { allows } from "../../src/azure/validate-credentials.ts";
import { expectProviderError, type Harness, newInstanceId } from "../conformance.ts";
import { azureCredentials, azureHarness } from "./harness.ts";
import type { AzureSimulator } from "./simulator/index.ts";

// The official SDKs load their clients (GCP: protobuf descriptors) on first use: seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

let h: (Harness & { sim: AzureSimulator }) | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const input = (over: Record<string, unknown> = {}) => ({
  instanceId: newInstanceId(),
  name: "claw-az-1",
  region: "westeurope",
  size: "Standard_B2s",
  userData: "#cloud-config\nruncmd:\n  - echo hi\n",
  firewall: { inbound: [] },
  ...over,
});

type Body = { properties?: Record<string, unknown>; tags?: Record<string, string> };

describe("azure: the create on the wire", () => {
  it("sends customData, no password, a throwaway key, extensions off, tags, and If-None-Match: * on the VM", async () => {
    h = await azureHarness();
    const i = input();
    await h.driver.createServer(i);
    const puts = h.sim.requests.filter((r) => r.method === "PUT");
    const vmPut = puts.find((r) => r.path.includes("/virtualMachines/"));
    expect(vmPut?.requestHeaders?.["if-none-match"]).toBe("*");
    const vm = vmPut?.body as Body;
    const os = vm.properties?.osProfile as Record<string, unknown>;
    expect(Buffer.from(String(os.customData), "base64").toString("utf8")).toBe(i.userData);
    expect(JSON.stringify(vm)).not.toMatch(/adminPassword/);
    expect(os.allowExtensionOperations).toBe(false);
    expect((os.linuxConfiguration as Record<string, unknown>).disablePasswordAuthentication).toBe(true);
    // Every resource carries our tag; the NSG's last rule denies all inbound.
    for (const p of puts) expect((p.body as Body).tags?.["clawcloud-instance"]).toBe(i.instanceId);
    const nsg = puts.find((r) => r.path.includes("/networkSecurityGroups/"))?.body as Body;
    const rules = ((nsg.properties?.securityRules ?? []) as { properties: Record<string, unknown> }[]).map((r) => r.properties);
    expect(rules.at(-1)).toMatchObject({
      access: "Deny",
      direction: "Inbound",
      protocol: "*",
      sourceAddressPrefix: "*",
      destinationPortRange: "*",
    });
  });

  it("a second create racing the first never rewrites the VM: ARM refuses the PUT (412) and the first VM is returned", async () => {
    h = await azureHarness();
    const i = input();
    const [a, b] = await Promise.all([h.driver.createServer(i), h.driver.createServer({ ...i, userData: "#cloud-config\n# second\n" })]);
    expect(b.id).toBe(a.id);
    expect(h.sim.serverCount()).toBe(1);
    expect(h.sim.userDataOf(a.id)).toBe(i.userData);
    expect(h.sim.requests.some((r) => r.path.includes("/virtualMachines/") && r.method === "PUT" && r.status === 412)).toBe(true);
  });
});

describe("azure: long-running operations", () => {
  it("a VM whose provisioning fails is an error, and its network pieces are removed", async () => {
    h = await azureHarness();
    h.sim.lroFault({
      type: "Microsoft.Compute/virtualMachines",
      error: { code: "OSProvisioningTimedOut", message: "OS Provisioning did not finish in the allotted time." },
    });
    const e = await expectProviderError(h.driver.createServer(input()), "unavailable");
    expect(e.retryable, "a provisioning timeout is worth another attempt").toBe(true);
    expect(e.message).toMatch(/OS Provisioning did not finish.*\[OSProvisioningTimedOut\]/);
    expect([...h.sim.store.resources.keys()], "the failed VM and its network pieces are gone").toEqual([]);
  });

  it("a slow operation is polled until it ends, honouring Retry-After", async () => {
    h = await azureHarness();
    h.sim.lroFault({ type: "Microsoft.Network/networkSecurityGroups", extraPolls: 4, retryAfterSeconds: 0 });
    const s = await h.driver.createServer(input());
    expect(s.status).not.toBe("gone");
    expect(h.sim.requests.filter((r) => r.op === "get_action").length).toBeGreaterThanOrEqual(5 + 4);
  });
});

describe("azure: throttling", () => {
  it("waits out a short Retry-After inline and then succeeds", async () => {
    h = await azureHarness();
    h.sim.injectFault("rate_limit", { op: "list_regions", retryAfterSeconds: 1 });
    const regions = await h.driver.listRegions();
    expect(regions.length).toBe(4);
    expect(h.sim.requests.filter((r) => r.op === "list_regions").map((r) => r.status)).toEqual([429, 200]);
  });

  it("pauses requests of a kind whose x-ms-ratelimit-remaining bucket is empty", async () => {
    const waits: number[] = [];
    const policy = throttlePolicy({ maxInlineWaitMs: 2000, sleep: async (ms) => void waits.push(ms) });
    const res = (headers: Record<string, string>) => ({ status: 200, headers: { get: (n: string) => headers[n] }, request: {} }) as never;
    const req = (method: string) => ({ method }) as never;
    await policy.sendRequest(req("PUT"), async () => res({ "x-ms-ratelimit-remaining-subscription-writes": "0" }));
    await policy.sendRequest(req("GET"), async () => res({}));
    expect(waits).toEqual([]);
    await policy.sendRequest(req("PUT"), async () => res({}));
    expect(waits.length).toBe(1);
    expect(
      bucketEmpty(
        (n) => ({ "x-ms-ratelimit-remaining-resource": "Microsoft.Compute/PutVM3Min;0,Microsoft.Compute/PutVM30Min;12" })[n],
        "writes",
      ),
    ).toBe(true);
  });
});

describe("azure: teardown", () => {
  it("delete removes the VM, NIC, public IP, virtual network and security group", async () => {
    h = await azureHarness();
    const s = await h.driver.createServer(input());
    expect(h.sim.store.resources.size).toBe(5);
    await h.driver.deleteServer(s.id);
    expect([...h.sim.store.resources.keys()]).toEqual([]);
  });

  it("refuses to delete a VM that is not ours", async () => {
    h = await azureHarness();
    const s = await h.driver.createServer(input());
    const vm = h.sim.store.ofType("Microsoft.Compute/virtualMachines")[0];
    if (vm) vm.tags = {};
    await expectProviderError(h.driver.deleteServer(s.id), "forbidden");
  });
});

describe("azure: credentials", () => {
  it("asks Entra ID for one token and reuses it", async () => {
    h = await azureHarness();
    await h.driver.listRegions();
    await h.driver.listSizes();
    await h.driver.validateCredentials();
    expect(h.sim.tokenRequests.valid).toBe(1);
  });

  it("a wrong tenant or secret is unauthorized; an under-privileged principal is refused with the missing actions", async () => {
    h = await azureHarness();
    const sim = h.sim;
    const wrong = createAzureDriver({
      credentials: { ...azureCredentials(), clientSecret: "not-the-secret-0123456789" },
      baseUrl: sim.url,
      authorityHost: sim.url,
    });
    const e = await expectProviderError(wrong.validateCredentials(), "unauthorized");
    expect(e.message).toMatch(/AADSTS7000215/);
    expect(e.message).not.toContain("not-the-secret");
    const limited = h.driverWith({ credential: "limited" });
    const check = await limited.validateCredentials();
    expect(check.missingScopes).toContain("Microsoft.Network/networkSecurityGroups/write");
    const denied = await expectProviderError(limited.createServer(input()), "forbidden");
    expect(denied.status).toBe(403);
    expect(denied.message).toMatch(/AuthorizationFailed/);
  });

  it("reads Azure's permission lists as Azure does: wildcards, minus notActions", () => {
    const entries = [{ actions: ["Microsoft.Compute/*"], notActions: ["Microsoft.Compute/virtualMachines/runCommand/action"] }];
    expect(allows(entries, "Microsoft.Compute/virtualMachines/write")).toBe(true);
    expect(allows(entries, "microsoft.compute/virtualmachines/runcommand/action")).toBe(false);
    expect(allows(entries, "Microsoft.Network/virtualNetworks/write")).toBe(false);
  });
});
