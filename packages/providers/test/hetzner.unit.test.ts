import { afterEach, describe, expect, it } from "vitest";
import type { CreateServerInput } from "../src/spec.ts";
import { expectNoSecrets, expectProviderError, newInstanceId, runConformanceSuite } from "./conformance.ts";
import { hetznerHarness } from "./harnesses.ts";
import { ManualClock } from "./simulator/core.ts";

runConformanceSuite("hetzner", () => hetznerHarness());

describe("hetzner driver", () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });
  const start = async (o: Parameters<typeof hetznerHarness>[0] = {}) => {
    const h = await hetznerHarness(o);
    stop = h.stop;
    return h;
  };
  const input = (over: Partial<CreateServerInput> = {}): CreateServerInput => ({
    instanceId: newInstanceId(),
    name: "claw-hz",
    region: "fsn1",
    size: "cx22",
    userData: "#cloud-config\npackage_update: true\n",
    firewall: { inbound: [] },
    ...over,
  });

  it("drops root_password at the boundary even when Hetzner sends one", async () => {
    const h = await start({ rootPasswordAlways: true });
    const s = await h.driver.createServer(input());
    const raw = h.sim.requests.find((x) => x.op === "create_server")?.responseBody as { root_password?: string };
    expect(raw.root_password, "the simulator did send a password").toMatch(/\S{8,}/);
    expectNoSecrets(h.sim, [s, await h.driver.getServer(s.id), await h.driver.findServersByTag()]);
  });

  it("labels the server, applies the firewall in the create request and sends user-data as plain text", async () => {
    const h = await start();
    const i = input({ tags: ["env:prod"] });
    const s = await h.driver.createServer(i);
    const body = h.sim.requests.find((x) => x.op === "create_server")?.body as {
      labels: Record<string, string>;
      firewalls: { firewall: number }[];
      user_data: string;
      ssh_keys: string[];
    };
    expect(body.labels).toEqual({ "clawcloud-instance": i.instanceId, env: "prod" });
    expect(body.firewalls).toHaveLength(1);
    expect(body.user_data).toBe(i.userData);
    expect(body.ssh_keys).toHaveLength(1);
    expect(h.sim.servers.get(Number(s.id))?.firewalls).toEqual([body.firewalls[0]?.firewall]);
    expect(s.firewallId).toBe(String(body.firewalls[0]?.firewall));
  });

  it("refuses a tag that cannot be a Hetzner label", async () => {
    const h = await start();
    await expectProviderError(h.driver.createServer(input({ tags: ["bad key:x"] })), "invalid");
    expect(h.sim.requests).toHaveLength(0);
  });

  it("says plainly when the server name is taken by a server that is not this instance's", async () => {
    const h = await start();
    await h.driver.createServer(input({ name: "taken" }));
    const e = await expectProviderError(h.driver.createServer(input({ name: "taken" })), "invalid");
    expect(e.message).toMatch(/A server named "taken" already exists/);
    expect(h.sim.serverCount()).toBe(1);
  });

  it("reports a read-only token as lacking Read & Write, and its writes as forbidden with advice", async () => {
    const h = await start();
    const limited = h.driverWith({ credential: "limited" });
    expect(await limited.validateCredentials()).toEqual({ scopes: ["Read"], missingScopes: ["Read & Write"] });
    const e = await expectProviderError(limited.createServer(input()), "forbidden");
    expect(e.message).toMatch(/Read & Write/);
    expect(h.sim.keys.size + h.sim.firewalls.size).toBe(0);
  });

  it("waits for the delete action before deleting the firewall (Hetzner refuses while it is applied)", async () => {
    const h = await start({ actionPolls: 3 });
    const s = await h.driver.createServer(input());
    await h.driver.deleteServer(s.id);
    expect(h.sim.requests.filter((x) => x.op === "get_action").length).toBe(3);
    expect(h.sim.firewallCount()).toBe(0);
    expect(h.sim.sshKeyCount()).toBe(0);
  });

  it("lists sizes in EUR cents before VAT, with the price per location", async () => {
    const h = await start();
    const sizes = await h.driver.listSizes();
    const cx22 = sizes.find((x) => x.id === "cx22");
    expect(cx22).toMatchObject({ vcpus: 2, memoryMb: 4096, diskGb: 40, priceMonthlyCents: 379, currency: "EUR" });
    expect(cx22?.priceMonthlyCentsByRegion).toMatchObject({ fsn1: 379, ash: 474 });
    expect(cx22?.regions).toContain("sin");
  });

  it("is held to Hetzner's bucket of 3,600 refilling one a second, and says retry in 1 s", { timeout: 30_000 }, async () => {
    const clock = new ManualClock();
    const h = await start({ clock, latencyMs: 0 });
    const calls = Array.from({ length: 3600 }, () => () => h.driver.getServer("1"));
    for (let i = 0; i < calls.length; i += 100) await Promise.all(calls.slice(i, i + 100).map((c) => c()));
    const e = await expectProviderError(h.driver.getServer("1"), "rate_limited");
    expect(e.retryAfter).toBe(1);
    const last = h.sim.requests.at(-1);
    expect(last?.responseHeaders["ratelimit-remaining"]).toBe("0");
    expect(Number(last?.responseHeaders["ratelimit-reset"])).toBe(Math.ceil(clock.now() / 1000) + 3600);
    clock.advance(1000);
    await expect(h.driver.getServer("1")).resolves.toBeUndefined();
    await expectProviderError(h.driver.getServer("1"), "rate_limited");
  });
});
