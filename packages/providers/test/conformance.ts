// The conformance suite every ComputeProviderV1 driver must pass, against its provider simulator.
// A driver's test file calls runConformanceSuite(name, makeHarness); makeHarness starts a fresh
// simulator and drivers for each test. Nothing here knows a provider: the simulator is reached only
// through the ConformanceSim surface (./simulator/types.ts), which another driver's simulator (AWS)
// can implement on its own.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ComputeProviderV1, type CreateServerInput, ProviderError, type ProviderErrorKind, type Server } from "../src/spec.ts";
import { throwawayPublicKey } from "../src/ssh.ts";
import type { ConformanceSim } from "./simulator/types.ts";

export type {
  ConformanceSim,
  FaultKind,
  FaultOptions,
  SimExchange,
  SimFirewallView,
  SimInboundRule,
  SimOperation,
} from "./simulator/types.ts";

export interface HarnessFixture {
  /** A region and size the simulator accepts. */
  region: string;
  size: string;
  /** A size the provider rejects, and (part of) the provider's own message for it. */
  invalidSize: string;
  invalidSizeMessage: string;
  /** Largest user-data in bytes the driver accepts; undefined when the provider documents none. */
  userDataLimitBytes?: number;
  /** The retryAfter a driver must report after a 429 injected with `seconds`. */
  rateLimitRetryAfter(seconds: number): number;
  /**
   * Whether the driver must attach a throwaway key to keep the provider from issuing a root
   * password (DigitalOcean, Hetzner, Vultr: default true). False where the provider issues no
   * password and a server without any key has no way in at all (AWS EC2).
   */
  throwawayKey?: boolean;
}

export interface Harness {
  driver: ComputeProviderV1;
  sim: ConformanceSim;
  /**
   * Another driver on the same simulator. "revoked": a token the provider answers 401 to;
   * "limited": a token lacking some permissions we need. timeoutMs: for the slow-answer test.
   */
  driverWith(o: { credential?: "valid" | "revoked" | "limited"; timeoutMs?: number }): ComputeProviderV1;
  /** Exactly what validateCredentials must report missing for the "limited" credential. */
  limitedMissing: string[];
  fixture: HarnessFixture;
  stop(): Promise<void>;
}

let seq = 0;
/** A fresh instance id in our format (`ins_<ulid-ish>`). */
export const newInstanceId = () => `ins_01jf${(Date.now() + seq++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export async function expectProviderError(p: Promise<unknown>, kind: ProviderErrorKind): Promise<ProviderError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, `expected a ProviderError of kind ${kind}`).toBeInstanceOf(ProviderError);
  const pe = e as ProviderError;
  expect(pe.kind, pe.message).toBe(kind);
  return pe;
}

/** Every key anywhere inside a value. */
function keysOf(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) keysOf(x, out);
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      keysOf(x, out);
    }
  return out;
}

/** No password-ish field and none of the passwords the provider issued, anywhere in what a driver returned. */
export function expectNoSecrets(sim: ConformanceSim, values: unknown[]): void {
  const keys = keysOf(values);
  expect(keys.filter((k) => /password|passwd|secret/i.test(k))).toEqual([]);
  const text = JSON.stringify(values, (_k, v: unknown) => (v instanceof Error ? { message: v.message, cause: String(v.cause) } : v));
  for (const secret of sim.issuedSecrets()) expect(text.includes(secret), "an issued password leaked into a driver result").toBe(false);
}

async function pollUntilRunning(driver: ComputeProviderV1, id: string, seen: unknown[]): Promise<Server | undefined> {
  let last: Server | undefined;
  for (let i = 0; i < 20; i++) {
    last = await driver.getServer(id);
    seen.push(last);
    if (last?.status === "running") return last;
  }
  return last;
}

export function runConformanceSuite(name: string, makeHarness: () => Promise<Harness>): void {
  describe(`${name}: ComputeProviderV1 conformance`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h.stop();
    });

    const input = (over: Partial<CreateServerInput> = {}): CreateServerInput => ({
      instanceId: newInstanceId(),
      name: "claw-test-1",
      region: h.fixture.region,
      size: h.fixture.size,
      userData: "#cloud-config\nruncmd:\n  - echo hello\n",
      firewall: { inbound: [] },
      ...over,
    });

    describe("credentials", () => {
      it("accepts a full token and reports nothing missing", async () => {
        const check = await h.driver.validateCredentials();
        expect(check.missingScopes).toEqual([]);
      });

      it("reports a rejected token as unauthorized, not retryable, without the token in the message", async () => {
        const e = await expectProviderError(h.driverWith({ credential: "revoked" }).validateCredentials(), "unauthorized");
        expect(e.retryable).toBe(false);
        expect(e.status).toBe(401);
        expect(e.message).toMatch(/token|key/i);
        expect(e.message).not.toMatch(/sim(valid|revoked|limited)/i);
      });

      it("lists exactly the permissions an under-scoped token lacks", async () => {
        const check = await h.driverWith({ credential: "limited" }).validateCredentials();
        expect([...check.missingScopes].sort()).toEqual([...h.limitedMissing].sort());
      });
    });

    describe("catalogue", () => {
      it("lists every region", async () => {
        const regions = await h.driver.listRegions();
        expect(regions).toHaveLength(h.sim.catalog().regions);
        for (const r of regions) {
          expect(r.id).toMatch(/\S/);
          expect(r.name).toMatch(/\S/);
        }
      });

      it("lists every size across pages, with vCPUs, memory, disk and a monthly price in cents", async () => {
        const before = h.sim.requests.length;
        const sizes = await h.driver.listSizes();
        expect(sizes).toHaveLength(h.sim.catalog().sizes);
        expect(new Set(sizes.map((s) => s.id)).size).toBe(sizes.length);
        const pages = h.sim.requests.slice(before).filter((x) => x.op === "list_sizes");
        expect(pages.length, "the simulator's catalogue spans more than one page").toBeGreaterThan(1);
        for (const s of sizes) {
          expect(s.vcpus).toBeGreaterThan(0);
          expect(s.memoryMb).toBeGreaterThanOrEqual(512);
          expect(s.diskGb).toBeGreaterThan(0);
          expect(Number.isInteger(s.priceMonthlyCents) && s.priceMonthlyCents > 0).toBe(true);
          expect(["USD", "EUR"]).toContain(s.currency);
        }
        const fixture = sizes.find((s) => s.id === h.fixture.size);
        expect(fixture).toBeDefined();
      });
    });

    describe("server lifecycle", () => {
      it("creates, reaches running, is found by tag, deletes with its firewall and key, and is then gone", async () => {
        const seen: unknown[] = [];
        const i = input();
        const created = await h.driver.createServer(i);
        seen.push(created);
        expect(created.instanceId).toBe(i.instanceId);
        expect(created.name).toBe(i.name);
        expect(created.region).toBe(i.region);
        expect(created.size).toBe(i.size);
        expect(["creating", "running"]).toContain(created.status);
        expect(h.sim.serverCount()).toBe(1);

        const running = await pollUntilRunning(h.driver, created.id, seen);
        expect(running?.status).toBe("running");
        expect(running?.ipv4).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

        const found = await h.driver.findServersByTag(i.instanceId);
        seen.push(found);
        expect(found.map((s) => s.id)).toEqual([created.id]);
        const ours = await h.driver.findServersByTag();
        expect(ours.map((s) => s.id)).toContain(created.id);
        expect(await h.driver.findServersByTag(newInstanceId())).toEqual([]);

        await h.driver.reboot(created.id);

        await h.driver.deleteServer(created.id);
        expect(await h.driver.getServer(created.id)).toBeUndefined();
        expect(h.sim.serverCount()).toBe(0);
        expect(h.sim.firewallCount(), "the firewall goes with the server").toBe(0);
        expect(h.sim.sshKeyCount(), "the uploaded key goes with the server").toBe(0);
        expect(await h.driver.findServersByTag(i.instanceId)).toEqual([]);
        expectNoSecrets(h.sim, seen);
      });

      it("returns the existing server when create is repeated for the same instance", async () => {
        const i = input();
        const a = await h.driver.createServer(i);
        const b = await h.driver.createServer(i);
        expect(b.id).toBe(a.id);
        expect(h.sim.serverCount()).toBe(1);
        expect(h.sim.firewallCount()).toBe(1);
        expect(h.sim.sshKeyCount()).toBe(h.fixture.throwawayKey === false ? 0 : 1);
      });

      it("finds the first server when the create took effect but its answer was lost", async () => {
        const i = input();
        h.sim.injectFault("lost_response", { op: "create_server" });
        const e = await expectProviderError(h.driver.createServer(i), "unavailable");
        expect(e.retryable).toBe(true);
        expect(h.sim.serverCount(), "the create did take effect").toBe(1);
        const again = await h.driver.createServer(i);
        expect(h.sim.serverCount(), "no duplicate").toBe(1);
        expect(again.instanceId).toBe(i.instanceId);
        expect(h.sim.serverIds()).toEqual([again.id]);
        expect(h.sim.firewallCount()).toBe(1);
      });

      it("deleting a server that is already gone, or never existed, succeeds", async () => {
        const i = input();
        const s = await h.driver.createServer(i);
        await h.driver.deleteServer(s.id);
        await h.driver.deleteServer(s.id);
        await h.driver.deleteServer(s.id, { instanceId: i.instanceId });
        expect(await h.driver.getServer(s.id)).toBeUndefined();
        expect(h.sim.serverCount()).toBe(0);
      });

      it("a delete retried after the server went still removes its firewall and key (given the instance id)", async () => {
        const i = input();
        const s = await h.driver.createServer(i);
        h.sim.injectFault("server_error", { op: "list_firewalls", status: 503, times: Number.POSITIVE_INFINITY });
        const first = await expectProviderError(h.driver.deleteServer(s.id), "unavailable");
        expect(first.retryable).toBe(true);
        expect(h.sim.serverCount()).toBe(0);
        expect(h.sim.firewallCount()).toBe(1);
        h.sim.clearFaults();
        await h.driver.deleteServer(s.id, { instanceId: i.instanceId });
        expect(h.sim.firewallCount()).toBe(0);
        expect(h.sim.sshKeyCount()).toBe(0);
      });

      it("getServer of an unknown id is undefined and reboot of one is not_found", async () => {
        expect(await h.driver.getServer("999999999")).toBeUndefined();
        await expectProviderError(h.driver.reboot("999999999"), "not_found");
      });
    });

    describe("zero access", () => {
      it("denies all inbound traffic by default and still lets the server dial out", async () => {
        const s = await h.driver.createServer(input());
        const fw = h.sim.firewallOf(s.id);
        expect(fw, "a firewall is applied from the start").toBeDefined();
        expect(fw?.inbound).toEqual([]);
        expect(fw?.outboundAllowed).toBe(true);
      });

      it("opens only the ports and sources asked for", async () => {
        const s = await h.driver.createServer(input({ firewall: { inbound: [{ port: 22, sources: ["203.0.113.7", "2001:db8::/48"] }] } }));
        const fw = h.sim.firewallOf(s.id);
        const opened = (fw?.inbound ?? []).flatMap((r) => r.sources.map((src) => `${r.protocol.toLowerCase()}/${r.ports}/${src}`)).sort();
        expect(opened).toEqual(["tcp/22/2001:db8::/48", "tcp/22/203.0.113.7/32"]);
      });

      it("leaves no way in: a throwaway key nobody holds (a new one per instance) where the provider would otherwise issue a password", async () => {
        const a = await h.driver.createServer(input());
        const b = await h.driver.createServer(input({ name: "claw-test-2" }));
        const ka = h.sim.sshKeysOf(a.id);
        const kb = h.sim.sshKeysOf(b.id);
        if (h.fixture.throwawayKey === false) {
          expect(ka).toEqual([]);
          expect(kb).toEqual([]);
          expect(h.sim.issuedSecrets()).toEqual([]);
          return;
        }
        expect(ka).toHaveLength(1);
        expect(kb).toHaveLength(1);
        expect(ka[0]).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+=* /);
        expect(ka[0]).toContain(a.instanceId ?? "missing");
        expect(ka[0]?.split(" ")[1]).not.toBe(kb[0]?.split(" ")[1]);
      });

      it("attaches the user's own key instead when they chose full SSH access", async () => {
        const userKey = throwawayPublicKey("alice@laptop").line;
        const s = await h.driver.createServer(input({ userSshPublicKey: userKey }));
        expect(h.sim.sshKeysOf(s.id).map((k) => k.split(" ").slice(0, 2).join(" "))).toEqual([userKey.split(" ").slice(0, 2).join(" ")]);
      });

      it("never returns a password, even where the provider issues one", async () => {
        const seen: unknown[] = [];
        const i = input();
        const s = await h.driver.createServer(i);
        seen.push(s, await h.driver.getServer(s.id), await h.driver.findServersByTag(i.instanceId), await h.driver.findServersByTag());
        h.sim.injectFault("server_error", { op: "get_server" });
        seen.push(await h.driver.getServer(s.id).catch((e: unknown) => e));
        expectNoSecrets(h.sim, seen);
      });
    });

    describe("user-data", () => {
      it("reaches the server exactly as given", async () => {
        const userData = '#cloud-config\nwrite_files:\n  - path: /etc/motd\n    content: "héllo ✓ $HOME `x`"\n';
        const s = await h.driver.createServer(input({ userData }));
        expect(h.sim.userDataOf(s.id)).toBe(userData);
      });

      it("is refused over the provider's limit before anything is sent", async () => {
        const limit = h.fixture.userDataLimitBytes;
        if (limit === undefined) return;
        const before = h.sim.requests.length;
        const e = await expectProviderError(h.driver.createServer(input({ userData: `#!/bin/sh\n${"x".repeat(limit)}` })), "invalid");
        expect(e.retryable).toBe(false);
        expect(e.message).toMatch(/user-data/i);
        expect(h.sim.requests.length).toBe(before);
        // exactly at the limit is fine
        await h.driver.createServer(input({ userData: `#!/bin/sh\n${"x".repeat(limit - 10)}` }));
      });

      it("refuses an instance id that cannot be a tag, before anything is sent", async () => {
        const before = h.sim.requests.length;
        await expectProviderError(h.driver.createServer(input({ instanceId: "bad id:with spaces" })), "invalid");
        expect(h.sim.requests.length).toBe(before);
      });
    });

    describe("errors", () => {
      it("a 429 is rate_limited, retryable, with retryAfter from the provider's headers", async () => {
        h.sim.injectFault("rate_limit", { op: "list_regions", retryAfterSeconds: 17 });
        const e = await expectProviderError(h.driver.listRegions(), "rate_limited");
        expect(e.retryable).toBe(true);
        expect(e.status).toBe(429);
        expect(e.retryAfter).toBe(h.fixture.rateLimitRetryAfter(17));
      });

      it("a 5xx is unavailable and retryable", async () => {
        h.sim.injectFault("server_error", { op: "list_regions", status: 503 });
        const e = await expectProviderError(h.driver.listRegions(), "unavailable");
        expect(e.retryable).toBe(true);
        expect(e.status).toBe(503);
        h.sim.injectFault("server_error", { op: "create_server", status: 500 });
        const c = await expectProviderError(h.driver.createServer(input()), "unavailable");
        expect(c.retryable).toBe(true);
      });

      it("a dropped connection is unavailable and retryable", async () => {
        h.sim.injectFault("network_reset", { op: "list_regions" });
        const e = await expectProviderError(h.driver.listRegions(), "unavailable");
        expect(e.retryable).toBe(true);
      });

      it("a slow answer times out as unavailable and retryable", async () => {
        h.sim.injectFault("slow", { op: "list_regions", delayMs: 2000 });
        const e = await expectProviderError(h.driverWith({ timeoutMs: 50 }).listRegions(), "unavailable");
        expect(e.retryable).toBe(true);
        expect(e.message).toMatch(/50 ms/);
      });

      it("a rejected request is invalid, not retryable, and carries the provider's own message", async () => {
        const e = await expectProviderError(h.driver.createServer(input({ size: h.fixture.invalidSize })), "invalid");
        expect(e.retryable).toBe(false);
        expect(e.message).toContain(h.fixture.invalidSizeMessage);
        expect(h.sim.serverCount()).toBe(0);
      });
    });
  });
}
