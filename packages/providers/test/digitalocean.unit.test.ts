import { afterEach, describe, expect, it } from "vitest";
import { createDigitalOceanDriver, DIGITALOCEAN_SCOPES } from "../src/digitalocean/driver.ts";
import type { CreateServerInput } from "../src/spec.ts";
import { throwawayPublicKey } from "../src/ssh.ts";
import { expectProviderError, newInstanceId, runConformanceSuite } from "./conformance.ts";
import { digitalOceanHarness } from "./harnesses.ts";
import { ManualClock } from "./simulator/core.ts";
import { type DigitalOceanSimulator, DO_ALL_SCOPES } from "./simulator/digitalocean.ts";

runConformanceSuite("digitalocean", () => digitalOceanHarness());

describe("digitalocean driver", () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });
  const start = async (o: Parameters<typeof digitalOceanHarness>[0] = {}) => {
    const h = await digitalOceanHarness(o);
    stop = h.stop;
    return h;
  };
  const input = (over: Partial<CreateServerInput> = {}): CreateServerInput => ({
    instanceId: newInstanceId(),
    name: "claw-do",
    region: "fra1",
    size: "s-2vcpu-4gb",
    userData: "#cloud-config\npackage_update: true\n",
    firewall: { inbound: [] },
    ...over,
  });
  const tokenWithout = (sim: DigitalOceanSimulator, lacking: string[]) => {
    const token = `dop_v1_custom_${lacking.join("_").replace(/:/g, "-")}`;
    sim.server.setToken(token, { label: "custom", grants: new Set(DO_ALL_SCOPES.filter((s) => !lacking.includes(s))) });
    return createDigitalOceanDriver({ credentials: { token }, baseUrl: sim.url });
  };

  it("reports the scopes a full token has and the account it belongs to", async () => {
    const h = await start();
    const check = await h.driver.validateCredentials();
    expect(check.accountLabel).toBe("Sammy's team (sammy@example.com)");
    expect([...(check.scopes ?? [])].sort()).toEqual(DIGITALOCEAN_SCOPES.filter((s) => s !== "droplet:update").sort());
  });

  it.each([
    [["ssh_key:create", "ssh_key:delete"]],
    [["droplet:create", "droplet:delete", "account:read"]],
    [["image:read", "actions:read"]],
    [["regions:read"]],
    [["sizes:read"]],
  ])("finds exactly the missing scopes %j, and the probes create nothing", async (lacking) => {
    const h = await start();
    const check = await tokenWithout(h.sim, lacking).validateCredentials();
    expect([...check.missingScopes].sort()).toEqual([...lacking].sort());
    expect(h.sim.serverCount() + h.sim.firewallCount() + h.sim.sshKeyCount()).toBe(0);
  });

  it("sends user-data as plain text, tags the droplet, attaches the key and never lets DigitalOcean e-mail a password", async () => {
    const h = await start();
    const i = input({ tags: ["env:prod"] });
    const s = await h.driver.createServer(i);
    const req = h.sim.requests.find((x) => x.op === "create_server");
    const body = req?.body as { user_data: string; tags: string[]; ssh_keys: number[] };
    expect(body.user_data).toBe(i.userData);
    expect(body.tags).toEqual(expect.arrayContaining(["clawcloud", `clawcloud-instance:${i.instanceId}`, "env:prod"]));
    expect(body.ssh_keys).toHaveLength(1);
    expect(h.sim.passwordEmails).toEqual([]);
    expect(s.firewallId).toBe([...h.sim.firewalls.keys()][0]);
  });

  it("binds the firewall to the instance tag before the droplet exists", async () => {
    const h = await start();
    await h.driver.createServer(input());
    const ops = h.sim.requests.map((x) => `${x.method} ${x.path}`);
    expect(ops.indexOf("POST /v2/firewalls")).toBeLessThan(ops.indexOf("POST /v2/droplets"));
    const fw = [...h.sim.firewalls.values()][0];
    expect(fw?.tags).toHaveLength(1);
    expect(fw?.name).toMatch(/^clawcloud-ins-01jf/);
  });

  it("uses the user's key when it is already in the account, and leaves it there on delete", async () => {
    const h = await start();
    const userKey = throwawayPublicKey("alice@laptop");
    const pre = await fetch(`${h.sim.url}/v2/account/keys`, {
      method: "POST",
      headers: {
        authorization: "Bearer dop_v1_simvalid0000000000000000000000000000000000000000000000000000",
        "content-type": "application/json",
      },
      body: JSON.stringify({ name: "alice", public_key: userKey.line }),
    });
    expect(pre.status).toBe(201);
    const s = await h.driver.createServer(input({ userSshPublicKey: userKey.line }));
    expect(h.sim.sshKeyCount()).toBe(1);
    await h.driver.deleteServer(s.id);
    expect(h.sim.sshKeyCount(), "the user's own key stays").toBe(1);
  });

  it("takes the uploaded key back when DigitalOcean refuses the droplet", async () => {
    const h = await start();
    await expectProviderError(h.driver.createServer(input({ size: "s-64vcpu-1tb" })), "invalid");
    expect(h.sim.sshKeyCount()).toBe(0);
  });

  it("a create whose answer never comes times out, and the retry returns the droplet that was made", async () => {
    const h = await start();
    const i = input();
    h.sim.injectFault("lost_response", { op: "create_server", hang: true });
    const e = await expectProviderError(h.driverWith({ timeoutMs: 100 }).createServer(i), "unavailable");
    expect(e.message).toMatch(/did not answer within 100 ms/);
    const again = await h.driver.createServer(i);
    expect(h.sim.serverIds()).toEqual([again.id]);
    expect(h.sim.sshKeyCount()).toBe(1);
  });

  it("deletes the droplet first, then its firewall, then its key", async () => {
    const h = await start();
    const s = await h.driver.createServer(input());
    const from = h.sim.requests.length;
    await h.driver.deleteServer(s.id);
    const deletes = h.sim.requests
      .slice(from)
      .filter((x) => x.method === "DELETE")
      .map((x) => x.op);
    expect(deletes).toEqual(["delete_server", "delete_firewall", "delete_ssh_key"]);
  });

  it("refuses to delete a droplet Claw Cloud did not create", async () => {
    const h = await start();
    const res = await fetch(`${h.sim.url}/v2/droplets`, {
      method: "POST",
      headers: {
        authorization: "Bearer dop_v1_simvalid0000000000000000000000000000000000000000000000000000",
        "content-type": "application/json",
      },
      body: JSON.stringify({ name: "someone-elses", size: "s-1vcpu-2gb", image: "debian-12-x64" }),
    });
    const { droplet } = (await res.json()) as { droplet: { id: number } };
    await expectProviderError(h.driver.deleteServer(String(droplet.id)), "forbidden");
    expect(h.sim.serverCount()).toBe(1);
  });

  it("is held to 250 requests a minute, with Retry-After, and recovers when the minute passes", async () => {
    const clock = new ManualClock();
    const h = await start({ clock, latencyMs: 0 });
    for (let i = 0; i < 250; i++) await h.driver.listRegions();
    const e = await expectProviderError(h.driver.listRegions(), "rate_limited");
    expect(e.retryAfter).toBe(60);
    clock.advance(60_001);
    await expect(h.driver.listRegions()).resolves.toHaveLength(10);
  });

  it("turns the hourly limit's ratelimit-reset into retryAfter when there is no Retry-After", async () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 0);
    const driver = createDigitalOceanDriver({
      credentials: { token: "t" },
      baseUrl: "http://do.invalid",
      now: () => now,
      fetch: async () =>
        new Response(JSON.stringify({ id: "too_many_requests", message: "API rate limit exceeded." }), {
          status: 429,
          headers: { "ratelimit-reset": String(now / 1000 + 1234), "ratelimit-remaining": "0" },
        }),
    });
    const e = await expectProviderError(driver.listRegions(), "rate_limited");
    expect(e.retryAfter).toBe(1234);
  });

  it("reports the droplet limit as a quota error a person can act on", async () => {
    const driver = createDigitalOceanDriver({
      credentials: { token: "t" },
      baseUrl: "http://do.invalid",
      fetch: async (url) => {
        const u = String(url);
        if (u.includes("/v2/droplets?")) return Response.json({ droplets: [], links: {}, meta: { total: 0 } });
        if (u.endsWith("/v2/firewalls?page=1&per_page=200")) return Response.json({ firewalls: [], links: {}, meta: { total: 0 } });
        if (u.endsWith("/v2/tags")) return Response.json({ tag: { name: "x" } }, { status: 201 });
        if (u.endsWith("/v2/firewalls")) return Response.json({ firewall: { id: "f", name: "n", tags: [] } }, { status: 202 });
        if (u.endsWith("/v2/account/keys")) return Response.json({ ssh_key: { id: 1, fingerprint: "aa", name: "n" } }, { status: 201 });
        return Response.json(
          { id: "unprocessable_entity", message: "creating this/these droplet(s) will exceed your droplet limit" },
          { status: 422 },
        );
      },
    });
    const e = await expectProviderError(driver.createServer(input()), "quota");
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(/droplet limit/);
    expect(e.message).toMatch(/^DigitalOcean refused to create the droplet because an account limit was reached/);
  });

  it("explains a revoked token with where to make a new one", async () => {
    const h = await start();
    const e = await expectProviderError(h.driverWith({ credential: "revoked" }).listSizes(), "unauthorized");
    expect(e.message).toMatch(
      /^DigitalOcean refused the token: it is invalid, expired or revoked \(401 unauthorized\)\. Create a new token at https:\/\/cloud\.digitalocean\.com\/account\/api\/tokens/,
    );
  });

  it("names the missing permission when a call is refused with 403", async () => {
    const h = await start();
    const e = await expectProviderError(h.driverWith({ credential: "limited" }).createServer(input()), "forbidden");
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(/lacks a permission/);
    expect(h.sim.serverCount()).toBe(0);
  });
});
