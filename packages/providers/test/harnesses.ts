// Harnesses that put each driver in front of its simulator, for the conformance suite, the
// driver-specific tests and the contract tests. Reusable by the lead's fault suite and benchmark.

import { createDigitalOceanDriver } from "../src/digitalocean/driver.ts";
import { createHetznerDriver } from "../src/hetzner/driver.ts";
import { createVultrDriver } from "../src/vultr/driver.ts";
import type { Harness } from "./conformance.ts";
import { ManualClock } from "./simulator/core.ts";
import {
  type DigitalOceanSimOptions,
  type DigitalOceanSimulator,
  DO_LIMITED_LACKS,
  DO_TOKENS,
  startDigitalOceanSimulator,
} from "./simulator/digitalocean.ts";
import { HETZNER_TOKENS, type HetznerSimOptions, type HetznerSimulator, startHetznerSimulator } from "./simulator/hetzner.ts";
import { startVultrSimulator, VULTR_TOKENS, type VultrSimOptions, type VultrSimulator } from "./simulator/vultr.ts";

/**
 * Simulated time: a manual clock that moves 50 ms per request, so the providers' real rate limits
 * apply as they would to a client making about 20 requests a second — deterministically.
 */
const simTime = () => ({ clock: new ManualClock(), latencyMs: 50 });

type DriverChoice = { credential?: "valid" | "revoked" | "limited"; timeoutMs?: number };

export async function digitalOceanHarness(o: DigitalOceanSimOptions = {}): Promise<Harness & { sim: DigitalOceanSimulator }> {
  const sim = await startDigitalOceanSimulator({ extraSizes: 200, ...simTime(), ...o });
  const driverWith = ({ credential = "valid", timeoutMs = 5000 }: DriverChoice = {}) =>
    createDigitalOceanDriver({ credentials: { token: DO_TOKENS[credential] }, baseUrl: sim.url, timeoutMs, now: () => sim.clock.now() });
  return {
    driver: driverWith(),
    sim,
    driverWith,
    limitedMissing: DO_LIMITED_LACKS,
    fixture: {
      region: "fra1",
      size: "s-2vcpu-4gb",
      invalidSize: "s-99vcpu-1tb",
      invalidSizeMessage: "You specified an invalid size for Droplet creation.",
      userDataLimitBytes: 64 * 1024,
      rateLimitRetryAfter: (s) => s,
    },
    stop: () => sim.stop(),
  };
}

export async function hetznerHarness(o: HetznerSimOptions = {}): Promise<Harness & { sim: HetznerSimulator }> {
  const sim = await startHetznerSimulator({ extraSizes: 50, ...simTime(), ...o });
  const driverWith = ({ credential = "valid", timeoutMs = 5000 }: DriverChoice = {}) =>
    createHetznerDriver({
      credentials: { token: HETZNER_TOKENS[credential] },
      baseUrl: sim.url,
      timeoutMs,
      now: () => sim.clock.now(),
      pollIntervalMs: 0,
    });
  return {
    driver: driverWith(),
    sim,
    driverWith,
    limitedMissing: ["Read & Write"],
    fixture: {
      region: "nbg1",
      size: "cx22",
      invalidSize: "cx999",
      invalidSizeMessage: "server type cx999 not found",
      userDataLimitBytes: 32 * 1024,
      // Hetzner's bucket refills one request a second: with none left, the next is 1 s away.
      rateLimitRetryAfter: () => 1,
    },
    stop: () => sim.stop(),
  };
}

export async function vultrHarness(o: VultrSimOptions = {}): Promise<Harness & { sim: VultrSimulator }> {
  const sim = await startVultrSimulator({ extraSizes: 500, ...simTime(), ...o });
  const driverWith = ({ credential = "valid", timeoutMs = 5000 }: DriverChoice = {}) =>
    createVultrDriver({ credentials: { token: VULTR_TOKENS[credential] }, baseUrl: sim.url, timeoutMs, now: () => sim.clock.now() });
  return {
    driver: driverWith(),
    sim,
    driverWith,
    limitedMissing: ["firewall"],
    fixture: {
      region: "fra",
      size: "vc2-2c-4gb",
      invalidSize: "vc2-99c-1tb",
      invalidSizeMessage: "Invalid plan chosen.",
      userDataLimitBytes: undefined,
      // Vultr documents no rate-limit headers; its limit is per second.
      rateLimitRetryAfter: () => 1,
    },
    stop: () => sim.stop(),
  };
}
