// Provider simulators for tests, the provisioning fault suite and the rate-limit benchmark.
//
//   const sim = await startDigitalOceanSimulator({ clock: new ManualClock(), latencyMs: 50 });
//   const driver = createDigitalOceanDriver({ credentials: { token: DO_TOKENS.valid }, baseUrl: sim.url, now: sim.clock.now });
//   sim.injectFault("lost_response", { op: "create_server", probability: 0.3, times: Infinity });
//   … sim.serverCount(), sim.firewallOf(id), sim.requests …
//   await sim.stop();
//
// Each simulator is one node:http server on 127.0.0.1 (port 0) speaking its provider's wire format,
// with state, the provider's real rate limits (on the injectable clock; `rateLimits: false` turns
// them off), seeded probabilistic faults (`seed`), and no sleeping unless a `slow` fault asks.
// Servers become running after `pollsToActive` reads or `bootMs` of simulated time.

export { type Clock, ManualClock, realClock } from "./core.ts";
export { DigitalOceanSimulator, DO_ALL_SCOPES, DO_LIMITED_LACKS, DO_TOKENS, startDigitalOceanSimulator } from "./digitalocean.ts";
export { HETZNER_TOKENS, HetznerSimulator, startHetznerSimulator } from "./hetzner.ts";
export type * from "./types.ts";
export { startVultrSimulator, VULTR_LIMITED_ACLS, VULTR_TOKENS, VultrSimulator } from "./vultr.ts";
