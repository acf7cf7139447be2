// Contract tests: every request body the Azure SDKs put on the wire during a full server life
// (create with the user's rules and key, reads, reboot, delete) is validated against Azure's own
// REST descriptions (../shared/specs/azure, OpenAPI 3 conversions of azure-rest-api-specs), with
// fields the description does not declare rejected. The assertions are on the wire body the
// simulator received, never on the objects handed to the SDK: arm-compute 24 silently drops what
// it does not model (shown below). Skipped, saying so, where the descriptions are absent.

import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createArmContext } from "../../src/azure/arm.ts";
import { throwawayPublicKey } from "../../src/ssh.ts";
import { newInstanceId } from "../conformance.ts";
import { type ContractValidator, loadContract, SPECS_MISSING, specsDir } from "../contract/openapi.ts";
import type { SimExchange } from "../simulator/types.ts";
import { azureCredentials, azureHarness } from "./harness.ts";

// The official SDKs load their clients (GCP: protobuf descriptors) on first use: seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

/**
 * Fields the SDKs send that the stored descriptions (Compute 2019-03-01, Network 2016-06-01)
 * predate, with the api-version that added each: the SDKs speak 2026-03-01 / 2025-05-01.
 * Anything else undeclared fails.
 */
const NEWER_THAN_DESCRIPTION: Record<string, string> = {
  deleteOption: "Compute 2021-03-01 (osDisk, networkInterfaces)",
  sourceAddressPrefixes: "Network 2017-06-01",
  sku: "Network 2017-08-01 (public IP SKU)",
  publicIPAddressVersion: "Network 2016-09-01",
};

/** A rule with sourceAddressPrefixes (a list, 2017-06-01) sends no single sourceAddressPrefix, which 2016-06-01 required. */
const EXPLAINED_REQUIRED = ["must have required property 'sourceAddressPrefix'"];

const DESCRIPTION_VERSION = { compute: "2019-03-01", network: "2016-06-01" } as const;

const dir = specsDir();
const specFor = (p: string) => (/Microsoft\.Compute/i.test(p) ? "compute" : /Microsoft\.Network/i.test(p) ? "network" : undefined);

describe.skipIf(!dir)("azure contract: request bodies on the wire", () => {
  let contracts: Record<"compute" | "network", ContractValidator>;
  beforeAll(() => {
    const base = path.join(dir ?? "", "azure");
    contracts = {
      compute: loadContract(path.join(base, "azure-compute.openapi3.apis-guru.json")),
      network: loadContract(path.join(base, "azure-network.openapi3.apis-guru.json")),
    };
  });

  /** Problems of the requests with a body (answers are the simulator's, not checked here). */
  const problemsOf = (exchanges: readonly SimExchange[]) =>
    exchanges
      .filter((x) => x.body !== undefined && specFor(x.rawPath))
      .flatMap((x) => {
        const which = specFor(x.rawPath) as "compute" | "network";
        // The SDKs send newer api-versions than the descriptions': the path and body are what is
        // checked, so the description's own version stands in.
        const query = { ...x.query, "api-version": [DESCRIPTION_VERSION[which]] };
        return contracts[which].check([{ ...x, query, status: undefined }]);
      });

  it("every body of a full server life matches the description, with no undeclared field", async () => {
    const h = await azureHarness();
    try {
      const instanceId = newInstanceId();
      const s = await h.driver.createServer({
        instanceId,
        name: "claw-contract",
        region: "westeurope",
        size: "Standard_B2s",
        userData: "#cloud-config\n",
        firewall: { inbound: [{ port: 22, sources: ["203.0.113.7", "2001:db8::/48"] }] },
        userSshPublicKey: throwawayPublicKey("alice@laptop").line,
        tags: ["team:blue"],
      });
      await h.driver.getServer(s.id);
      await h.driver.findServersByTag(instanceId);
      await h.driver.reboot(s.id);
      await h.driver.deleteServer(s.id);
      const bodies = h.sim.requests.filter((x) => x.body !== undefined && specFor(x.rawPath));
      expect(bodies.length, "NSG, VNet, public IP, NIC and VM bodies were checked").toBeGreaterThanOrEqual(5);
      const problems = problemsOf(h.sim.requests);
      const unexplained = problems
        .flatMap((p) => p.split("; "))
        .filter((p) => !EXPLAINED_REQUIRED.some((r) => p.endsWith(r)))
        .filter((p) => !Object.keys(NEWER_THAN_DESCRIPTION).some((f) => p.includes(`.${f} is not in the description`)));
      expect(unexplained).toEqual([]);
    } finally {
      await h.stop();
    }
  });

  it("the checker rejects a misplaced field on the wire", async () => {
    const h = await azureHarness();
    try {
      await h.driver.createServer({
        instanceId: newInstanceId(),
        name: "claw-contract-2",
        region: "westeurope",
        size: "Standard_B2s",
        userData: "#cloud-config\n",
        firewall: { inbound: [] },
      });
      const vm = h.sim.requests.find((x) => x.method === "PUT" && x.rawPath.includes("/virtualMachines/"));
      expect(vm).toBeDefined();
      const body = structuredClone(vm?.body) as { properties: Record<string, unknown> };
      body.properties.hardwareProfile = { vmSize: "Standard_B2s", vmSizeTypo: "x" };
      const problems = problemsOf([{ ...(vm as SimExchange), body }]);
      expect(problems.some((p) => p.includes("vmSizeTypo is not in the description"))).toBe(true);
    } finally {
      await h.stop();
    }
  });

  it("arm-compute 24 drops a nested `properties` without a word: only the wire shows it", async () => {
    const h = await azureHarness();
    try {
      const ctx = createArmContext({ credentials: azureCredentials(), baseUrl: h.sim.url, authorityHost: h.sim.url, pollIntervalMs: 0 });
      const sdkInput = { location: "westeurope", properties: { hardwareProfile: { vmSize: "Standard_B2s" } } } as never;
      await ctx.compute.virtualMachines.createOrUpdate(ctx.rg, "dropped-properties", sdkInput, ctx.opts).catch(() => undefined);
      const sent = h.sim.requests.find((x) => x.rawPath.endsWith("/virtualMachines/dropped-properties"))?.body as Record<string, unknown>;
      expect(sent.location).toBe("westeurope");
      expect(JSON.stringify(sent)).not.toContain("hardwareProfile");
    } finally {
      await h.stop();
    }
  });
});

describe.skipIf(dir)("azure contract", () => {
  it.skip(SPECS_MISSING, () => undefined);
});
