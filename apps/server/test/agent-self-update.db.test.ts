// The agent updates itself, end to end: real agent bundles (built here at other versions), run by
// the local provider's real supervisor (which restarts the agent when it exits, as systemd does),
// against the real server and its jobs. First a server serving a bundle that passes the checksum
// and the smoke test but cannot start: the trial fails, nothing is swapped, the old agent runs
// again and the operation ends rolled back with the reason. Then a server serving a good bundle:
// the agent hands over to it, the new bundle is the one the service starts, the old one is kept.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Supervised, supervise } from "../../../packages/providers/src/local/supervisor.ts";
import { type DigitalOceanSimulator, startDigitalOceanSimulator } from "../../../packages/providers/test/simulator/digitalocean.ts";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.ts";
import { type FakeOpenclaw, startFakeOpenclaw } from "../../../test-support/fake-openclaw.ts";
import { deployUntilAgent, verifiedUserWithAccount } from "../../../test-support/simulated-deploy.ts";
import { startTestApp, type TestApp, type TestClient, uniqueEmail } from "../../../test-support/test-app.ts";
import { buildAgent } from "../../agent/scripts/build.ts";

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

let dir: string;
let db: TestDatabase;
let sim: DigitalOceanSimulator;
let gateway: FakeOpenclaw;
let t: TestApp | undefined;
let c: TestClient;
let instanceId: string;
let agent: Supervised | undefined;
const bundle = () => join(dir, "agent", "clawcloud-agent.mjs");
const configFile = () => join(dir, "agent", "config.json");
const bundles: Record<"old" | "good" | "broken", { file: string; sha256: string }> = {} as never;

interface Detail {
  state: string;
  agentVersion: string | null;
  agentUpdate: { fromVersion: string; toVersion: string; status: string; message: string | null } | null;
  events: { step: string; status: string; message: string | null }[];
}

async function detail(): Promise<Detail> {
  return (await (await c.get(`/api/v1/instances/${instanceId}`)).json()) as Detail;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify((await detail()).events.slice(-6))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function agentOperation() {
  return (await detail()).agentUpdate ?? undefined;
}

/** The server (on the one database), serving `served` as its agent bundle; the agent dials it. */
async function serve(served: { file: string }): Promise<void> {
  await t?.stop();
  t = await startTestApp({
    db,
    agentBundlePath: served.file,
    env: { CLAWCLOUD_DIGITALOCEAN_API_URL: sim.url, CLAWCLOUD_AGENT_URL: "https://agents.clawcloud.test" },
  });
  // The same signed-in user (sessions live in the database), on the new address.
  if (c) {
    const next = t.client();
    for (const [k, v] of c.cookies) next.cookies.set(k, v);
    c = next;
  }
}

function writeAgentConfig(extra: Record<string, unknown> = {}) {
  const current = JSON.parse(readFileSync(configFile(), "utf8")) as Record<string, unknown>;
  writeFileSync(configFile(), JSON.stringify({ ...current, serverUrl: (t as TestApp).url, ...extra }), { mode: 0o600 });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cc-self-update-"));
  mkdirSync(join(dir, "agent"));
  bundles.old = await buildAgent(join(dir, "build-old"), { version: "0.0.1" });
  bundles.good = await buildAgent(join(dir, "build-good"), { version: "0.0.2" });
  // Checksum right and `--version` right, but it dies before it ever connects.
  const broken = join(dir, "build-broken", "clawcloud-agent.js");
  mkdirSync(join(dir, "build-broken"));
  writeFileSync(
    broken,
    '// clawcloud-agent 0.0.2-rc.1\nif (process.argv.includes("--version")) console.log("0.0.2-rc.1");\nelse { console.error("boom"); process.exit(3); }\n',
  );
  bundles.broken = { file: broken, sha256: sha256(broken) };

  db = await createTestDatabase();
  sim = await startDigitalOceanSimulator({ rateLimits: false });
  gateway = await startFakeOpenclaw();
  await serve(bundles.broken);
  const user = await verifiedUserWithAccount(t as TestApp, uniqueEmail("self-update"));
  c = user.c;
  const deployed = await deployUntilAgent(c, sim, user.credentialId, "self-update");
  instanceId = deployed.instanceId;
  copyFileSync(bundles.old.file, bundle());
  writeFileSync(
    configFile(),
    JSON.stringify({
      serverUrl: (t as TestApp).url,
      instanceId,
      registrationToken: deployed.token,
      stateDir: join(dir, "agent", "state"),
      gatewayUrl: gateway.url,
      gatewayToken: gateway.token,
      heartbeatIntervalSec: 2,
      tuning: { reconnectMinDelayMs: 100, reconnectMaxDelayMs: 500, selfUpdateTrialMs: 30_000 },
    }),
    { mode: 0o600 },
  );
  agent = supervise({
    name: "agent",
    spec: { command: process.execPath, args: [bundle(), "--config", configFile()], env: { PATH: process.env.PATH ?? "" }, cwd: dir },
    logFile: join(dir, "agent.log"),
    pidFile: join(dir, "agent.pid"),
    minBackoffMs: 100,
    maxBackoffMs: 500,
  });
  await waitFor("the agent on 0.0.1", async () => {
    const d = await detail();
    return d.state === "ready" && d.agentVersion === "0.0.1" ? d : undefined;
  });
}, 180_000);

afterAll(async () => {
  await agent?.stop();
  await t?.stop();
  await sim?.stop();
  await gateway?.close();
  await db?.drop();
});

describe("the agent's own update", () => {
  it("tries a bundle that cannot start, never swaps it in, and the old agent runs again", { timeout: 150_000 }, async () => {
    const app = t as TestApp;
    expect(await app.server.core.updates.sweepAgents()).toEqual({ started: 1 });
    const op = await waitFor("the operation to end", async () => {
      const o = await agentOperation();
      return o && o.status !== "running" ? o : undefined;
    });
    expect(op).toMatchObject({ status: "rolled_back", fromVersion: "0.0.1", toVersion: "0.0.2-rc.1" });
    expect(op.message).toMatch(/exited with code 3 before it connected/);
    // The service still starts the old bundle; the broken one is gone.
    expect(sha256(bundle())).toBe(bundles.old.sha256);
    const d = await waitFor("agent 0.0.1 back", async () => {
      const x = await detail();
      return x.agentVersion === "0.0.1" ? x : undefined;
    });
    expect(d.events.map((e) => e.message ?? "").join("\n")).toMatch(/did not take over, so agent 0\.0\.1 runs again/);
    // The same version is not tried again on this instance.
    expect(await app.server.core.updates.sweepAgents()).toEqual({ started: 0 });
  });

  it("hands over to a good bundle: the new agent reports in and is the one the service starts", { timeout: 150_000 }, async () => {
    await serve(bundles.good);
    writeAgentConfig();
    // The running agent dials the old address: restart it on the new one, as the local provider does.
    process.kill(Number(readFileSync(join(dir, "agent.pid"), "utf8")), "SIGTERM");
    await waitFor("the agent on the new server", async () => {
      const x = await detail();
      return x.agentVersion === "0.0.1" && x.state === "ready" ? x : undefined;
    });
    const app = t as TestApp;
    await waitFor("a sweep that starts the update", async () =>
      (await app.server.core.updates.sweepAgents()).started === 1 ? true : undefined,
    );
    const op = await waitFor("the operation to end", async () => {
      const o = await agentOperation();
      return o && o.toVersion === "0.0.2" && o.status !== "running" ? o : undefined;
    });
    expect(op).toMatchObject({ status: "succeeded", fromVersion: "0.0.1", toVersion: "0.0.2" });
    expect(sha256(bundle())).toBe(bundles.good.sha256);
    expect(sha256(join(dir, "agent", "clawcloud-agent.previous.mjs"))).toBe(bundles.old.sha256);
    const d = await waitFor("agent 0.0.2 heartbeating", async () => {
      const x = await detail();
      return x.agentVersion === "0.0.2" ? x : undefined;
    });
    expect(d.events.map((e) => e.message ?? "").join("\n")).toMatch(/The agent updated itself to 0\.0\.2/);
    expect(await app.server.core.updates.sweepAgents()).toEqual({ started: 0 });
    // Started once, then again after the failed trial, for the new address, and for the hand-over.
    expect(agent?.starts()).toBe(4);
  });
});
