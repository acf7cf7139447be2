import { describe, expect, it } from "vitest";
import { mapLimit, prepareCreate, resourceName, toCents, toCidr } from "../src/common.ts";
import { createDriver, providerGuides } from "../src/index.ts";
import { ProviderError } from "../src/spec.ts";

const rules = {
  provider: "hetzner" as const,
  displayName: "Hetzner Cloud",
  userDataLimitBytes: 100,
  namePattern: /^[a-z0-9-]+$/,
  nameHint: "x",
};
const base = { instanceId: "ins_01jfabc", name: "ok", region: "r", size: "s", userData: "", firewall: { inbound: [] } };

describe("common", () => {
  it("turns addresses into CIDR blocks and refuses anything else", () => {
    expect(toCidr("203.0.113.7")).toBe("203.0.113.7/32");
    expect(toCidr("2001:db8::1")).toBe("2001:db8::1/128");
    expect(toCidr("10.0.0.0/8")).toBe("10.0.0.0/8");
    for (const bad of ["10.0.0.0/33", "2001:db8::/129", "example.com", "1.2.3.4/8/1", "1.2.3", "0.0.0.0/x", ""])
      expect(toCidr(bad)).toBeUndefined();
  });

  it("checks a create before anything is sent", () => {
    const bad = (o: object) => {
      try {
        prepareCreate({ ...base, ...o }, rules);
      } catch (e) {
        expect(e).toBeInstanceOf(ProviderError);
        expect((e as ProviderError).kind).toBe("invalid");
        return (e as ProviderError).message;
      }
      throw new Error("accepted");
    };
    expect(bad({ instanceId: "a:b" })).toMatch(/cannot be used as a tag/);
    expect(bad({ instanceId: "x".repeat(64) })).toMatch(/cannot be used as a tag/);
    expect(bad({ name: "Not OK" })).toMatch(/not accepted by Hetzner Cloud/);
    expect(bad({ userData: "x".repeat(101) })).toMatch(/101 bytes; Hetzner Cloud accepts at most 100 bytes/);
    expect(bad({ userData: "é".repeat(51) })).toMatch(/102 bytes/);
    expect(bad({ firewall: { inbound: [{ port: 0, sources: ["1.2.3.4"] }] } })).toMatch(/not a port number/);
    expect(bad({ firewall: { inbound: [{ port: 22, sources: [] }] } })).toMatch(/no source addresses/);
    expect(bad({ firewall: { inbound: [{ port: 22, sources: ["anywhere"] }] } })).toMatch(/not an IP address/);
    expect(bad({ userSshPublicKey: "-----BEGIN RSA PRIVATE KEY-----" })).toMatch(/private key/);
    const ok = prepareCreate({ ...base, userData: "x".repeat(100) }, rules);
    expect(ok.keyIsUsers).toBe(false);
    expect(ok.key.line).toContain("clawcloud-instance:ins_01jfabc");
    expect(ok.tag).toBe("clawcloud-instance:ins_01jfabc");
  });

  it("names resources so DigitalOcean's firewall name pattern accepts them", () => {
    expect(resourceName("ins_01jfabc")).toBe("clawcloud-ins-01jfabc");
    expect(resourceName("ins_01jfabc")).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9.-]+$/);
  });

  it("converts prices to cents", () => {
    expect(toCents("4.5100000000")).toBe(451);
    expect(toCents(24)).toBe(2400);
    expect(toCents(0.125)).toBe(13);
    expect(toCents("n/a")).toBeNaN();
  });

  it("runs at most N at a time and keeps order", async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([1, 2, 3, 4, 5, 6], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return n * 10;
    });
    expect(out).toEqual([10, 20, 30, 40, 50, 60]);
    expect(peak).toBe(2);
  });

  it("exports a driver and a token guide for every provider", () => {
    for (const id of ["digitalocean", "hetzner", "vultr"] as const) {
      expect(createDriver(id, { credentials: { token: "t" } }).id).toBe(id);
    }
    for (const [id, g] of Object.entries(providerGuides)) {
      expect(g.tokenUrl, id).toMatch(/^https:\/\//);
      expect(g.permissions.length, id).toBeGreaterThan(0);
      expect(g.notes.length, id).toBeGreaterThan(40);
    }
    expect(providerGuides.digitalocean.permissions).toContain("droplet:create");
    expect(providerGuides.hetzner.permissions).toEqual(["Read & Write"]);
  });
});
