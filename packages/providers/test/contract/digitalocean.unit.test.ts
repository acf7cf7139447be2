import { describe, expect, it } from "vitest";
import { DIGITALOCEAN_SCOPES } from "../../src/digitalocean/driver.ts";
import { newInstanceId } from "../conformance.ts";
import { digitalOceanHarness } from "../harnesses.ts";
import { runContractSuite } from "./harness.ts";

const exchange = (o: object) => ({
  seq: 1,
  method: "GET",
  path: "/v2/droplets",
  rawPath: "/v2/droplets",
  query: {},
  body: undefined,
  op: undefined,
  perms: [],
  status: undefined,
  responseBody: undefined,
  responseHeaders: {},
  fault: undefined,
  ...o,
});

runContractSuite(
  "digitalocean",
  "digitalocean.openapi.yaml",
  () => digitalOceanHarness(),
  ({ contract }) => {
    describe("digitalocean contract: scopes", () => {
      it("the driver's scope list covers every scope the description requires for the calls it makes, and the simulator enforces exactly those", async () => {
        const h = await digitalOceanHarness();
        try {
          const instanceId = newInstanceId();
          await h.driver.validateCredentials();
          await h.driver.listRegions();
          await h.driver.listSizes();
          const s = await h.driver.createServer({
            instanceId,
            name: "scope-check",
            region: "fra1",
            size: "s-2vcpu-4gb",
            userData: "#cloud-config\n",
            firewall: { inbound: [{ port: 22, sources: ["203.0.113.9"] }] },
          });
          await h.driver.getServer(s.id);
          await h.driver.findServersByTag();
          await h.driver.reboot(s.id);
          await h.driver.deleteServer(s.id);
          await h.driver.deleteServer(s.id, { instanceId });
          const needed = new Set<string>();
          for (const ex of h.sim.requests) {
            const op = contract().operation(ex.method, ex.rawPath);
            expect(op, `${ex.method} ${ex.rawPath}`).toBeDefined();
            for (const sc of op?.scopes ?? []) needed.add(sc);
            expect([...ex.perms].sort(), `${ex.method} ${ex.rawPath} (${op?.id})`).toEqual([...(op?.scopes ?? [])].sort());
          }
          // Filtering droplets by tag needs tag:read as well (the tag_name parameter says so).
          needed.add("tag:read");
          expect([...needed].filter((sc) => !(DIGITALOCEAN_SCOPES as readonly string[]).includes(sc))).toEqual([]);
          expect(contract().check(h.sim.requests)).toEqual([]);
        } finally {
          await h.stop();
        }
      });

      it("flags unknown fields, wrong types and undeclared query parameters", () => {
        const problems = contract().check([
          exchange({ method: "POST", body: { name: "a", size: "s", image: "x", root_pass: "nope" } }),
          exchange({ method: "POST", body: { name: "a", size: 5, image: "x" } }),
          exchange({ query: { per_page: ["500"], tag: ["x"] } }),
          exchange({ rawPath: "/v2/droplets/12", status: 200, responseBody: { droplet: { id: 1, name: "x" } } }),
        ]);
        expect(problems.join("\n")).toMatch(/body\.root_pass is not in the description/);
        expect(problems.join("\n")).toMatch(/\/size must be string/);
        expect(problems.join("\n")).toMatch(/per_page=500/);
        expect(problems.join("\n")).toMatch(/query parameter tag is not in the description/);
        expect(problems.join("\n")).toMatch(/must have required property 'memory'/);
      });
    });
  },
);
