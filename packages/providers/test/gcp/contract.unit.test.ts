// Contract tests: every request the Compute Engine SDK puts on the wire during a full server life
// (firewall rules, insert, reads, reset, delete) is validated against Google's Compute Engine v1
// description (../shared/specs/gcp, an OpenAPI 3 conversion of the discovery document): the
// operation and its query parameters must exist, and bodies may carry no undeclared field.
// Assertions are on what the simulator received. Skipped, saying so, where the description is absent.

import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { throwawayPublicKey } from "../../src/ssh.ts";
import { newInstanceId } from "../conformance.ts";
import { type ContractValidator, loadContract, SPECS_MISSING, specsDir } from "../contract/openapi.ts";
import type { SimExchange } from "../simulator/types.ts";
import { gcpHarness } from "./harness.ts";

// The official SDKs load their clients (GCP: protobuf descriptors) on first use: seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

/** Transport parameters google-gax adds to every REST call; they are not API parameters. */
const TRANSPORT_QUERY = new Set(["$alt"]);

const dir = specsDir();

describe.skipIf(!dir)("gcp contract: requests on the wire", () => {
  let contract: ContractValidator;
  beforeAll(() => {
    contract = loadContract(path.join(dir ?? "", "gcp", "compute-v1.openapi3.apis-guru.json"));
  });

  const problemsOf = (exchanges: readonly SimExchange[]) =>
    exchanges
      .filter((x) => x.rawPath.startsWith("/compute/v1/"))
      .flatMap((x) => {
        const query = Object.fromEntries(Object.entries(x.query).filter(([k]) => !TRANSPORT_QUERY.has(k)));
        // google-gax sends the JSON string "" as the body of a bodiless POST (operations.wait, reset).
        const body = x.body === "" ? undefined : x.body;
        return contract.check([{ ...x, query, body, status: undefined }]);
      });

  it("every request of a full server life is an operation of the description, with declared parameters and fields only", async () => {
    const h = await gcpHarness();
    try {
      const instanceId = newInstanceId();
      const s = await h.driver.createServer({
        instanceId,
        name: "claw-contract",
        region: "europe-west3-a",
        size: "e2-medium",
        userData: "#cloud-config\n",
        firewall: { inbound: [{ port: 22, sources: ["203.0.113.7"] }] },
        userSshPublicKey: throwawayPublicKey("alice@laptop").line,
        tags: ["team:blue"],
      });
      await h.driver.listRegions();
      await h.driver.listSizes();
      await h.driver.getServer(s.id);
      await h.driver.findServersByTag(instanceId);
      await h.driver.reboot(s.id);
      await h.driver.deleteServer(s.id);
      const checked = h.sim.requests.filter((x) => x.rawPath.startsWith("/compute/v1/"));
      expect(checked.filter((x) => x.body !== undefined && x.method === "POST" && !x.path.endsWith("/wait")).length).toBeGreaterThanOrEqual(
        3,
      );
      expect(problemsOf(h.sim.requests)).toEqual([]);
    } finally {
      await h.stop();
    }
  });

  it("the checker rejects an undeclared field on the wire", async () => {
    const h = await gcpHarness();
    try {
      await h.driver.createServer({
        instanceId: newInstanceId(),
        name: "claw-contract-2",
        region: "europe-west3-a",
        size: "e2-medium",
        userData: "#cloud-config\n",
        firewall: { inbound: [] },
      });
      const insert = h.sim.requests.find((x) => x.op === "create_server") as SimExchange;
      const body = { ...(insert.body as object), properties: { machineType: "e2-medium" } };
      expect(problemsOf([{ ...insert, body }]).some((p) => p.includes("body.properties is not in the description"))).toBe(true);
    } finally {
      await h.stop();
    }
  });
});

describe.skipIf(dir)("gcp contract", () => {
  it.skip(SPECS_MISSING, () => undefined);
});
