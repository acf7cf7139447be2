// Drives the provisioning state machine against the DigitalOcean simulator, as workers and the
// agent on each server would: shared by packages/core/test/provisioning.db.test.ts and the
// deploy benchmarks (bench/deploys.ts). No vitest import: the benchmarks run it under plain node.
//
// Time is compressed: the simulator runs on a ManualClock and the per-credential rate limiter
// sleeps by moving that clock, so a wait for a token (or a drained bucket's Retry-After) costs no
// real time, and the clock's advance is the simulated time the deploys took. The state machine's
// own "again in N s" is skipped by the driving loop, as a queue with a fast clock would.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import type { Heartbeat } from "@clawcloud/contracts";
import { type Database, eq, schema } from "@clawcloud/db";
import { ManualClock, seededRandom } from "../../../providers/test/simulator/core.ts";
import {
  type DigitalOceanSimOptions,
  type DigitalOceanSimulator,
  DO_TOKENS,
  startDigitalOceanSimulator,
} from "../../../providers/test/simulator/digitalocean.ts";
import { recordHeartbeat } from "../../src/agents/record-heartbeat.ts";
import { registerAgent } from "../../src/agents/register-agent.ts";
import { driverFactory } from "../../src/credentials/drivers.ts";
import { CredentialRateLimiter } from "../../src/credentials/rate-limit.ts";
import { newId } from "../../src/ids.ts";
import { advanceProvisioning, type ProvisionDeps } from "../../src/instances/provision.ts";
import { sweepOrphans } from "../../src/instances/sweep-orphans.ts";
import type { Logger } from "../../src/logger.ts";
import { type Queue, startQueue } from "../../src/queue/queue.ts";
import { credentialAad, encryptSecret } from "../../src/vault/envelope.ts";
import { LocalKeyProvider } from "../../src/vault/local-key-provider.ts";

export const silent: Logger = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent };

export interface HarnessOptions {
  database: Database;
  /** Simulator options; its clock is the harness's ManualClock. Default: no rate limits, active after 2 polls. */
  sim?: Omit<DigitalOceanSimOptions, "clock">;
  /** Give the rate limiter the simulator's clock (default true); false: no limiter. */
  rateLimiter?: boolean;
  /** Chance that a worker dies right after one of its provider calls (see WorkerKiller). */
  killProbability?: number;
  /** The instance lease, in seconds (default: the state machine's). Real seconds: leases use the database's clock. */
  leaseSeconds?: number;
}

export interface Harness {
  sim: DigitalOceanSimulator;
  clock: ManualClock;
  limiter: CredentialRateLimiter | undefined;
  killer: WorkerKiller;
  database: Database;
  queue: Queue;
  deps: ProvisionDeps;
  workspaceId: string;
  stop(): Promise<void>;
}

export async function startHarness(o: HarnessOptions): Promise<Harness> {
  const clock = new ManualClock();
  const sim = await startDigitalOceanSimulator({ rateLimits: false, pollsToActive: 2, ...o.sim, clock });
  const inFlight = new InFlight();
  // A wait for a token moves the clock once the requests already let through have been answered:
  // in simulated time a request takes no time, and arrives when it was let through.
  const sleep = async (ms: number) => {
    await inFlight.idle();
    clock.advance(ms);
  };
  const limiter = o.rateLimiter === false ? undefined : new CredentialRateLimiter({ clock: { now: () => clock.now(), sleep } });
  const killer = new WorkerKiller(o.killProbability ?? 0);
  const queue = await startQueue({ connection: o.database.connection, log: silent, worker: false });
  const deps: ProvisionDeps = {
    db: o.database.db,
    keys: LocalKeyProvider.fromEnv(`1:${randomBytes(32).toString("base64")}`),
    drivers: driverFactory(
      { digitalocean: sim.url },
      // A killed worker's call never returns: a short timeout keeps its timer from outliving the run.
      { rateLimiter: limiter ?? false, fetch: killer.wrap(inFlight.track(globalThis.fetch)), timeoutMs: 10_000 },
    ),
    externalIdKey: "test-key",
    queue,
    log: silent,
    backoffBaseSec: 0,
    registrationKey: randomBytes(32).toString("base64url"),
    renderUserData: (i) => `#cloud-config\n# instance=${i.instanceId} token=${i.registrationToken} openclaw=${i.openclawVersion}\n`,
    ...(o.leaseSeconds !== undefined ? { leaseSeconds: o.leaseSeconds } : {}),
  };
  const workspaceId = newId("workspace");
  await o.database.db.insert(schema.workspaces).values({ id: workspaceId, name: "w", slug: workspaceId });
  return {
    sim,
    clock,
    limiter,
    killer,
    database: o.database,
    queue,
    deps,
    workspaceId,
    async stop() {
      await queue.stop();
      await sim.stop();
    },
  };
}

type HarnessDb = Pick<Harness, "deps" | "workspaceId">;

export async function addCredential(h: HarnessDb, token: string = DO_TOKENS.valid, deleteAfterProvisioning = false): Promise<string> {
  const id = newId("credential");
  const env = await encryptSecret(h.deps.keys, JSON.stringify(token), credentialAad(h.workspaceId, id));
  await h.deps.db.insert(schema.cloudCredentials).values({
    id,
    workspaceId: h.workspaceId,
    provider: "digitalocean",
    label: "sim",
    last4: token.slice(-4),
    fingerprint: `sha256:${randomBytes(8).toString("hex")}`,
    keyVersion: env.keyVersion,
    wrappedKey: env.wrappedKey,
    ciphertext: env.ciphertext,
    deleteAfterProvisioning,
  });
  return id;
}

export async function newInstance(
  h: HarnessDb,
  credentialId: string,
  extra: Partial<typeof schema.instances.$inferInsert> = {},
): Promise<string> {
  const id = newId("instance");
  await h.deps.db.insert(schema.instances).values({
    id,
    workspaceId: h.workspaceId,
    name: "t",
    provider: "digitalocean",
    credentialId,
    region: "nyc3",
    size: "s-2vcpu-4gb",
    openclawVersion: "2026.9.6",
    ...extra,
  });
  return id;
}

export const instanceRow = async (h: Pick<Harness, "deps">, id: string) =>
  (await h.deps.db.select().from(schema.instances).where(eq(schema.instances.id, id)))[0];

export const dropletsOf = (sim: DigitalOceanSimulator, id: string) =>
  [...sim.droplets.values()].filter((d) => d.tags.includes(`clawcloud-instance:${id}`));

/** Counts the requests under way, so simulated time can wait for them to be answered. */
class InFlight {
  #n = 0;
  #waiters: (() => void)[] = [];

  track(inner: typeof fetch): typeof fetch {
    const tracked = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
      this.#n++;
      try {
        return await inner(input, init);
      } finally {
        if (--this.#n === 0) for (const w of this.#waiters.splice(0)) w();
      }
    };
    return tracked as typeof fetch;
  }

  idle(): Promise<void> {
    return this.#n === 0 ? Promise.resolve() : new Promise((resolve) => this.#waiters.push(resolve));
  }
}

/**
 * Kills workers: with `probability`, right after a provider call made inside `run` has been
 * answered, the worker making it dies — it never sees the answer and never releases its lease
 * (the call stays pending forever). `run` reports "killed" at once; another worker can take the
 * instance over once the lease runs out.
 */
export class WorkerKiller {
  readonly #step = new AsyncLocalStorage<{ kill: () => void }>();
  readonly #random = seededRandom(7);
  probability: number;
  kills = 0;

  constructor(probability: number) {
    this.probability = probability;
  }

  wrap(inner: typeof fetch): typeof fetch {
    const wrapped = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
      const res = await inner(input, init);
      const step = this.#step.getStore();
      if (!step || this.probability <= 0 || this.#random() >= this.probability) return res;
      await res.arrayBuffer().catch(() => undefined); // the call took effect and its answer arrived
      this.kills++;
      step.kill();
      return new Promise<Response>(() => {});
    };
    return wrapped as typeof fetch;
  }

  run<T>(fn: () => Promise<T>): Promise<T | "killed"> {
    let kill = () => {};
    const killed = new Promise<"killed">((resolve) => {
      kill = () => resolve("killed");
    });
    const work = this.#step.run({ kill }, fn);
    return Promise.race([work, killed]);
  }
}

export interface DriveOptions {
  worker?: string;
  /** Steps a worker may run before the deploy counts as stuck. */
  maxSteps?: number;
  /** Real time to wait for a lease another (possibly dead) worker holds, in ms (default 60 s). */
  maxHeldMs?: number;
}

/** Runs the state machine as a worker would, skipping the waits, until it settles or waits on the agent. */
export async function drive(h: Pick<Harness, "deps" | "killer">, id: string, o: DriveOptions = {}): Promise<void> {
  const maxSteps = o.maxSteps ?? 60;
  const heldUntil = Date.now() + (o.maxHeldMs ?? 60_000);
  let worker = o.worker ?? "w1";
  let generation = 0;
  for (let steps = 0; steps < maxSteps; ) {
    const r = await instanceRow(h, id);
    if (!r || r.step === "awaiting_agent" || r.state === "failed") return;
    const held = !!r.leaseOwner && r.leaseOwner !== worker && (r.leaseUntil?.getTime() ?? 0) > Date.now();
    if (held) {
      // Another worker holds the lease: give it a moment (the real queue would wait 15 s).
      if (Date.now() > heldUntil) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    steps++;
    const outcome = await h.killer.run(() => advanceProvisioning(h.deps, id, worker));
    if (outcome === "killed") {
      // The queue delivers the job again, to another worker, once the lease has run out.
      worker = `${o.worker ?? "w1"}.${++generation}`;
      continue;
    }
    if ("done" in outcome) return;
  }
  throw new Error(`instance ${id} did not settle`);
}

/** What the agent on the server does: register with the token from the user-data, then heartbeat. */
export async function agentCallsBack(h: Pick<Harness, "deps" | "sim">, id: string): Promise<void> {
  const [droplet] = dropletsOf(h.sim, id);
  const token = /token=(\S+)/.exec(droplet?.userData ?? "")?.[1];
  if (!token) throw new Error("no token in the user-data");
  await registerAgent(
    { db: h.deps.db, queue: h.deps.queue, log: silent },
    { instanceId: id, token, publicKey: Buffer.alloc(32, 1).toString("base64"), agentVersion: "0.1.0" },
  );
  await recordHeartbeat(h.deps.db, id, heartbeat());
}

/** A healthy agent's heartbeat. */
export function heartbeat(o: { seq?: number; uptimeSec?: number } = {}): Heartbeat {
  return {
    type: "heartbeat",
    seq: o.seq ?? 0,
    agentVersion: "0.1.0",
    openclawVersion: "2026.9.6",
    gateway: { healthy: true, ready: true, startupVersion: "2026.9.6" },
    cpu: { load1: 0.1, cores: 2 },
    memory: { totalMb: 4096, availableMb: 3000 },
    disk: { totalMb: 80_000, freeMb: 70_000 },
    uptimeSec: o.uptimeSec ?? 60,
  };
}

export interface DeployRun {
  /** How many deploys run at once (default all). */
  concurrency?: number;
  /** Every n-th deploy is delivered to three workers at once (default never). */
  duplicateEvery?: number;
  maxSteps?: number;
}

export interface DeployReport {
  deploys: number;
  ready: number;
  /** Deploys with more than one server before the sweeper ran. */
  duplicates: number;
  /** Servers tagged for these deploys that none of them records, after the sweeper. */
  orphans: number;
  /** Deploys that did not settle (the driving loop gave up). */
  stuck: number;
}

/** Drives every deploy to its agent, lets each agent call back, then runs the sweeper and counts. */
export async function runDeploys(h: Harness, ids: readonly string[], o: DeployRun = {}): Promise<DeployReport> {
  let stuck = 0;
  let next = 0;
  const lane = async () => {
    while (next < ids.length) {
      const i = next++;
      const id = ids[i] as string;
      const workers = o.duplicateEvery && i % o.duplicateEvery === 0 ? ["w1", "w2", "w3"] : ["w1"];
      const maxSteps = o.maxSteps ?? 200;
      try {
        await Promise.all(workers.map((w) => drive(h, id, { worker: `${w}-${i}`, maxSteps })));
        await drive(h, id, { worker: `w1-${i}`, maxSteps });
      } catch {
        stuck++;
        continue;
      }
      if ((await instanceRow(h, id))?.step === "awaiting_agent") await agentCallsBack(h, id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? ids.length, ids.length) }, lane));
  let ready = 0;
  for (const id of ids) if ((await instanceRow(h, id))?.state === "ready") ready++;
  const duplicates = ids.filter((id) => dropletsOf(h.sim, id).length > 1).length;
  await sweepOrphans(h.deps);
  const recorded = new Set<string>();
  for (const id of ids) recorded.add(String((await instanceRow(h, id))?.serverId));
  const orphans = ids.flatMap((id) => dropletsOf(h.sim, id)).filter((d) => !recorded.has(String(d.id))).length;
  return { deploys: ids.length, ready, duplicates, orphans, stuck };
}

/** The transient faults of the fault suite: `rate` of all provider calls, split evenly between the kinds. */
export function injectTransientFaults(sim: DigitalOceanSimulator, rate: number): void {
  const kinds = ["server_error", "rate_limit", "network_reset", "lost_response"] as const;
  // The simulator tries the faults in turn, each on the requests the ones before it left alone.
  kinds.forEach((kind, k) => {
    sim.injectFault(kind, { probability: rate / 4 / (1 - (rate / 4) * k), times: Number.POSITIVE_INFINITY, retryAfterSeconds: 1 });
  });
}
