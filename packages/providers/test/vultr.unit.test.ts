import { afterEach, describe, expect, it } from "vitest";
import type { CreateServerInput } from "../src/spec.ts";
import { expectProviderError, newInstanceId, runConformanceSuite } from "./conformance.ts";
import { vultrHarness } from "./harnesses.ts";
import { ManualClock } from "./simulator/core.ts";

runConformanceSuite("vultr", () => vultrHarness());

describe("vultr driver", () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });
  const start = async (o: Parameters<typeof vultrHarness>[0] = {}) => {
    const h = await vultrHarness(o);
    stop = h.stop;
    return h;
  };
  const input = (over: Partial<CreateServerInput> = {}): CreateServerInput => ({
    instanceId: newInstanceId(),
    name: "claw-vultr",
    region: "ams",
    size: "vc2-1c-2gb",
    userData: "#cloud-config\npackage_update: true\n",
    firewall: { inbound: [] },
    ...over,
  });

  it("sends user-data base64-encoded, no activation e-mail, the key and the firewall group", async () => {
    const h = await start();
    const i = input();
    await h.driver.createServer(i);
    const body = h.sim.requests.find((x) => x.op === "create_server")?.body as Record<string, unknown>;
    expect(body.user_data).toBe(Buffer.from(i.userData).toString("base64"));
    expect(body.activation_email).toBe(false);
    expect(body.sshkey_id).toHaveLength(1);
    expect(body.firewall_group_id).toBe([...h.sim.groups.keys()][0]);
    expect(body.os_id).toBe(2136);
    expect(body.tags).toEqual(["clawcloud", `clawcloud-instance:${i.instanceId}`]);
  });

  it("never passes on the default_password Vultr returns on create and get", async () => {
    const h = await start();
    const s = await h.driver.createServer(input());
    const raw = h.sim.requests.find((x) => x.op === "create_server")?.responseBody as { instance: { default_password?: string } };
    expect(raw.instance.default_password).toMatch(/\S{8,}/);
    const text = JSON.stringify([s, await h.driver.getServer(s.id), await h.driver.findServersByTag()]);
    expect(text).not.toContain(raw.instance.default_password);
  });

  it("reads the key user's permissions from the account", async () => {
    const h = await start();
    const full = await h.driver.validateCredentials();
    expect(full.accountLabel).toBe("admin@example.com");
    expect(full.scopes).toContain("manage_users");
    const limited = await h.driverWith({ credential: "limited" }).validateCredentials();
    expect(limited.missingScopes).toEqual(["firewall"]);
  });

  it("adds only the missing firewall rules when a create is retried", async () => {
    const h = await start();
    const i = input({ firewall: { inbound: [{ port: 22, sources: ["198.51.100.4", "2001:db8::/32"] }] } });
    h.sim.injectFault("server_error", { op: "create_server" });
    await expectProviderError(h.driver.createServer(i), "unavailable");
    const s = await h.driver.createServer(i);
    expect(h.sim.groups.size).toBe(1);
    expect([...h.sim.groups.values()][0]?.rules.map((r) => `${r.ip_type} ${r.subnet}/${r.subnet_size} ${r.port}`).sort()).toEqual([
      "v4 198.51.100.4/32 22",
      "v6 2001:db8::/32 22",
    ]);
    expect(h.sim.sshKeyCount()).toBe(1);
    expect(h.sim.serverIds()).toEqual([s.id]);
  });

  it("pages through plans with the cursor", async () => {
    const h = await start();
    await h.driver.listSizes();
    const pages = h.sim.requests.filter((x) => x.op === "list_sizes");
    expect(pages).toHaveLength(2);
    expect(pages[0]?.query.cursor).toBeUndefined();
    expect(pages[1]?.query.cursor?.[0]).toMatch(/\S/);
    expect(pages.every((p) => p.query.per_page?.[0] === "500")).toBe(true);
  });

  it("is held to 30 requests a second, and recovers the next second", async () => {
    const clock = new ManualClock();
    const h = await start({ clock, latencyMs: 0 });
    for (let i = 0; i < 30; i++) await h.driver.listRegions();
    const e = await expectProviderError(h.driver.listRegions(), "rate_limited");
    expect(e.retryAfter).toBe(1);
    clock.advance(1000);
    await expect(h.driver.listRegions()).resolves.toHaveLength(6);
  });

  it("honours Retry-After when Vultr sends one", async () => {
    const { createVultrDriver } = await import("../src/vultr/driver.ts");
    const driver = createVultrDriver({
      credentials: { token: "t" },
      baseUrl: "http://vultr.invalid",
      fetch: async () => Response.json({ error: "Rate limit exceeded", status: 429 }, { status: 429, headers: { "retry-after": "4" } }),
    });
    expect((await expectProviderError(driver.listRegions(), "rate_limited")).retryAfter).toBe(4);
  });

  it("refuses an image that is not a Vultr OS id before sending anything", async () => {
    const h = await start();
    await expectProviderError(h.driver.createServer(input({ image: "debian-12" })), "invalid");
    expect(h.sim.requests).toHaveLength(0);
  });
});
