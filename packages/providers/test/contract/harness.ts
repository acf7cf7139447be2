// Contract tests: the conformance suite runs again, and when each test ends every exchange the
// driver had with the simulator — requests it built and answers it parsed — is checked against the
// provider's official description. Skipped, saying so, where the descriptions are absent.

import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Harness, runConformanceSuite } from "../conformance.ts";
import { type ContractValidator, loadContract, SPECS_MISSING, specsDir } from "./openapi.ts";

export interface ContractSuite {
  /** The loaded validator (available inside tests). */
  contract(): ContractValidator;
}

export function runContractSuite(
  name: string,
  specFile: string,
  makeHarness: () => Promise<Harness>,
  extra?: (s: ContractSuite) => void,
): void {
  const dir = specsDir();
  if (!dir) {
    describe(`${name} contract`, () => {
      it.skip(SPECS_MISSING, () => undefined);
    });
    return;
  }
  let contract: ContractValidator | undefined;
  const get = () => {
    if (!contract) throw new Error("contract not loaded");
    return contract;
  };
  beforeAll(() => {
    contract = loadContract(path.join(dir, specFile));
  });

  runConformanceSuite(`${name} contract`, async () => {
    const h = await makeHarness();
    return {
      ...h,
      stop: async () => {
        await h.stop();
        expect(get().check(h.sim.requests)).toEqual([]);
      },
    };
  });

  describe(`${name} contract: the checker itself`, () => {
    it("rejects an exchange the description does not allow", () => {
      const bad = get().check([
        {
          seq: 1,
          method: "GET",
          path: "/clawcloud-no-such-path",
          rawPath: "/clawcloud-no-such-path",
          query: {},
          body: undefined,
          op: undefined,
          perms: [],
          status: undefined,
          responseBody: undefined,
          responseHeaders: {},
          fault: undefined,
        },
      ]);
      expect(bad).toHaveLength(1);
    });

    it("flags a request field and a response field the description does not have", async () => {
      const h = await makeHarness();
      try {
        await h.driver.createServer({
          instanceId: "ins_contractcheck",
          name: "contract-check",
          region: h.fixture.region,
          size: h.fixture.size,
          userData: "#cloud-config\n",
          firewall: { inbound: [] },
        });
        const create = h.sim.requests.find((x) => x.op === "create_server");
        expect(create).toBeDefined();
        if (!create) return;
        expect(get().check([create])).toEqual([]);
        const withField = { ...create, body: { ...(create.body as object), clawcloud_unknown: true } };
        expect(get().check([withField]).join("\n")).toMatch(/body\.clawcloud_unknown is not in the description/);
        const withAnswer = { ...create, responseBody: { ...(create.responseBody as object), clawcloud_unknown: true } };
        expect(get().check([withAnswer]).join("\n")).toMatch(/response\.clawcloud_unknown is not in the description/);
        const wrongType = { ...create, body: { ...(create.body as object), user_data: 42 } };
        expect(get().check([wrongType]).join("\n")).toMatch(/user_data must be string/);
      } finally {
        await h.stop();
      }
    });
  });

  extra?.({ contract: get });
}
