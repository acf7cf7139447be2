// Deploys against the DigitalOcean simulator, driven through the real state machine and database
// (a fresh PGlite directory each) by the harness the provisioning test uses. Simulated time is
// the simulator's ManualClock, which the per-credential rate limiter advances when it waits.
//   (a) provider calls per successful deploy, create to ready;
//   (b) 200 deploys at once on one token, with DigitalOcean's real limits (250/min, 5,000/h);
//   (c) the fault suite at scale: 30% transient faults, workers killed mid-step, duplicate delivery.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, eq, openDatabase, schema } from "@clawcloud/db";
import { advanceProvisioning } from "../packages/core/src/instances/provision.ts";
import * as harness from "../packages/core/test/support/provisioning-harness.ts";

async function withPglite<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), "cc-bench-deploys-"));
  const database = await openDatabase({ dataDir });
  try {
    return await fn(database);
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A scratch database on the PostgreSQL server at `url` (see run.ts), or PGlite without one. */
function withDatabase<T>(url: string | undefined, fn: (database: Database) => Promise<T>): Promise<T> {
  if (!url) return withPglite(fn);
  return (async () => {
    const database = await openDatabase({ url, dataDir: tmpdir(), poolSize: 20 });
    try {
      return await fn(database);
    } finally {
      await database.close();
    }
  })();
}

const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** (a) Provider calls for one deploy, from create to ready (and the step that runs after). */
export function benchCallsPerDeploy(): Promise<string[]> {
  return withPglite(async (database) => {
    const h = await harness.startHarness({ database, sim: { rateLimits: true } });
    try {
      const cred = await harness.addCredential(h);
      const id = await harness.newInstance(h, cred);
      const before = h.sim.requests.length;
      await harness.drive(h, id);
      await harness.agentCallsBack(h, id);
      await advanceProvisioning(h.deps, id, "w1"); // the boot check the state machine scheduled
      const state = (await harness.instanceRow(h, id))?.state;
      const calls = h.sim.requests.slice(before);
      return [
        `provider calls per successful DigitalOcean deploy, create to ${state}: ${calls.length} (target ≤ 8): ${calls.map((r) => `${r.method} ${r.path}`).join(", ")}`,
      ];
    } finally {
      await h.stop();
    }
  });
}

/** (b) A burst of deploys on one token, with DigitalOcean's limits on. */
export function benchDeployBurst(n = 200): Promise<string[]> {
  return withPglite(async (database) => {
    const h = await harness.startHarness({ database, sim: { rateLimits: true } });
    try {
      const cred = await harness.addCredential(h);
      const ids = await Promise.all(Array.from({ length: n }, () => harness.newInstance(h, cred)));
      const t0 = h.clock.now();
      const real0 = performance.now();
      const report = await harness.runDeploys(h, ids, { maxSteps: 60 });
      const simulated = h.clock.now() - t0;
      const real = performance.now() - real0;
      const calls = h.sim.requests.length;
      const throttled = h.sim.requests.filter((r) => r.status === 429).length;
      const waited = h.limiter?.stats.waited ?? 0;
      return [
        `${n} DigitalOcean deploys at once on one token (250/min, 5,000/h): ${report.ready} ready, ${report.stuck} stuck; ${calls} provider calls, ${throttled} answered 429 (${((100 * throttled) / calls).toFixed(2)}%, target ≤ 1%); ${minutes(simulated)} simulated (${waited} calls waited for a token), ${seconds(real)} real`,
      ];
    } finally {
      await h.stop();
    }
  });
}

/**
 * (c) The fault suite at scale, in cloud accounts of `perAccount` deploys one after another: the
 * DigitalOcean driver lists every firewall of the account on each create attempt, so in one
 * account of 1,000 a create needs ~11 calls that all have to get through a 30% fault rate.
 */
export function benchFaultSuite(
  n = 1000,
  o: { databaseUrl?: string; perAccount?: number; faultRate?: number; killProbability?: number; leaseSeconds?: number } = {},
): Promise<string[]> {
  const faultRate = o.faultRate ?? 0.3;
  const killProbability = o.killProbability ?? 0.005;
  const leaseSeconds = o.leaseSeconds ?? 5;
  const perAccount = o.perAccount ?? 100;
  return withDatabase(o.databaseUrl, async (database) => {
    const h = await harness.startHarness({ database, killProbability, leaseSeconds, rateLimiter: false });
    try {
      const total: harness.DeployReport = { deploys: 0, ready: 0, duplicates: 0, orphans: 0, stuck: 0 };
      let calls = 0;
      let faults = 0;
      const real0 = performance.now();
      for (let done = 0; done < n; done += perAccount) {
        const cred = await harness.addCredential(h);
        const ids = await Promise.all(Array.from({ length: Math.min(perAccount, n - done) }, () => harness.newInstance(h, cred)));
        const before = h.sim.requests.length;
        harness.injectTransientFaults(h.sim, faultRate);
        let report: harness.DeployReport;
        try {
          report = await harness.runDeploys(h, ids, { concurrency: 50, duplicateEvery: 10, maxSteps: 400 });
        } finally {
          h.sim.clearFaults();
        }
        for (const k of Object.keys(total) as (keyof harness.DeployReport)[]) total[k] += report[k];
        const exchanges = h.sim.requests.slice(before);
        calls += exchanges.length;
        faults += exchanges.filter((r) => r.fault).length;
        // The next account starts empty; this one's rows stay, as a user's other workspace would.
        await database.db.delete(schema.cloudCredentials).where(eq(schema.cloudCredentials.id, cred));
        h.sim.droplets.clear();
        h.sim.firewalls.clear();
        h.sim.keys.clear();
        h.sim.tags.clear();
      }
      const real = performance.now() - real0;
      return [
        `fault suite: ${total.deploys} deploys (${Math.ceil(n / perAccount)} accounts of ${perAccount}), ${((100 * total.ready) / total.deploys).toFixed(2)}% ready (target ≥ 99.9%), ${total.duplicates} duplicate servers (target 0), ${total.orphans} orphans after the sweeper (target 0), ${calls} provider calls (${faults} faulted, ${((100 * faults) / calls).toFixed(1)}%); ${h.killer.kills} workers killed mid-step (lease ${leaseSeconds} s), every 10th deploy delivered to 3 workers at once; ${total.stuck} stuck; ${database.kind}, ${seconds(real)} real`,
      ];
    } finally {
      await h.stop();
    }
  });
}
