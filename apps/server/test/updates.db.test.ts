// Updates end to end on the server side: the API, the jobs, the step machine and the agent
// protocol, against scripted agents (real registration, real WebSocket, scripted OpenClaw) on
// instances deployed through the DigitalOcean simulator. Real OpenClaw: e2e/updates-local.e2e.test.ts.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DigitalOceanSimulator, startDigitalOceanSimulator } from "../../../packages/providers/test/simulator/digitalocean.ts";
import { verifiedUserWithAccount } from "../../../test-support/simulated-deploy.ts";
import { startTestApp, type TestApp, type TestClient, uniqueEmail } from "../../../test-support/test-app.ts";
import { type Script, type ScriptedAgent, startScriptedAgent } from "./support/scripted-agent.ts";

const OLD = "2026.9.5";
const NEW = "2026.9.6";
const STAFF = `staff-${process.pid}@example.com`;

let sim: DigitalOceanSimulator;
let t: TestApp;
let registry: Server;
const agents: ScriptedAgent[] = [];

beforeAll(async () => {
  sim = await startDigitalOceanSimulator({ rateLimits: false });
  // The npm registry is a third party: a fake one answering the abbreviated packument.
  registry = createServer((req, res) => {
    res.writeHead(req.url === "/openclaw" ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify({ name: "openclaw", "dist-tags": { latest: NEW, beta: "2026.9.7-beta.1" }, versions: {} }));
  });
  await new Promise<void>((r) => registry.listen(0, "127.0.0.1", r));
  t = await startTestApp({
    env: {
      CLAWCLOUD_DIGITALOCEAN_API_URL: sim.url,
      CLAWCLOUD_AGENT_URL: "https://agents.clawcloud.test",
      CLAWCLOUD_NPM_REGISTRY_URL: `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`,
      CLAWCLOUD_STAFF_EMAILS: STAFF,
    },
  });
  await t.server.core.updates.refreshVersions();
});
afterAll(async () => {
  for (const a of agents) a.close();
  await t?.stop();
  await sim?.stop();
  await new Promise((r) => registry?.close(r));
});

const verifiedUser = (email = uniqueEmail("upd")) => verifiedUserWithAccount(t, email);

type Detail = Record<string, unknown> & {
  state: string;
  openclawVersion: string;
  operation: { status: string; step: string; message: string | null; kind: string } | null;
  events: { step: string; status: string; message: string | null }[];
};

async function waitFor(c: TestClient, id: string, pred: (i: Detail) => boolean, ms = 60_000): Promise<Detail> {
  const end = Date.now() + ms;
  for (;;) {
    const body = (await (await c.get(`/api/v1/instances/${id}`)).json()) as Detail;
    if (pred(body)) return body;
    if (Date.now() > end) throw new Error(`instance ${id} did not get there: ${JSON.stringify(body).slice(0, 600)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Deploys through the simulator and brings a scripted agent up on OLD. */
async function readyInstance(c: TestClient, credentialId: string, script: Script = {}) {
  const res = await c.post("/api/v1/instances", {
    name: "upd",
    provider: "digitalocean",
    credentialId,
    region: "nyc3",
    size: "s-2vcpu-4gb",
    openclawVersion: OLD,
  });
  const body = (await res.json()) as { id: string };
  if (res.status !== 201) throw new Error(`deploy: ${res.status} ${JSON.stringify(body)}`);
  const { id } = body;
  await waitFor(c, id, (i) => i.step === "awaiting_agent");
  const droplet = [...sim.droplets.values()].find((d) => d.tags.includes(`clawcloud-instance:${id}`));
  const token = /CC_REGISTRATION_TOKEN='([A-Za-z0-9_-]+)'/.exec(droplet?.userData ?? "")?.[1] as string;
  const agent = await startScriptedAgent({ serverUrl: t.url, instanceId: id, token, version: OLD, script });
  agents.push(agent);
  await waitFor(c, id, (i) => i.state === "ready" && i.runningOpenclawVersion === OLD);
  return { id, agent };
}

const finished = (i: Detail) => !!i.operation && i.operation.status !== "running";

describe("fleet rollouts", () => {
  // Its own deadlines (90 s for the rollout, 30 s for the resume) are what bound it, not the default test timeout.
  it("go out ring by ring, skip pinned instances, and halt when a ring fails", { timeout: 150_000 }, async () => {
    const staff = await verifiedUser(STAFF);
    const nonStaff = await verifiedUser();
    expect((await nonStaff.c.get("/api/v1/admin/rollouts")).status).toBe(404);
    expect((await nonStaff.c.post("/api/v1/admin/rollouts", { targetVersion: NEW })).status).toBe(404);

    // Four instances on OLD: one pinned (never touched), one whose update fails.
    const { c, credentialId } = await verifiedUser();
    const a = await readyInstance(c, credentialId);
    const b = await readyInstance(c, credentialId);
    const pinned = await readyInstance(c, credentialId);
    const failing = await readyInstance(c, credentialId, { fail: { "openclaw.update": "UPDATE_FAILED" } });
    await c.request("PUT", `/api/v1/instances/${pinned.id}/pin`, { version: OLD });

    expect((await staff.c.post("/api/v1/admin/rollouts", { targetVersion: NEW, rings: [50, 10] })).status).toBe(400);
    const created = await staff.c.post("/api/v1/admin/rollouts", {
      targetVersion: NEW,
      rings: [25, 100],
      bakeSeconds: 0,
      failureThreshold: 0.2,
    });
    expect(created.status).toBe(201);
    const rollout = (await created.json()) as { id: string };
    expect((await staff.c.post("/api/v1/admin/rollouts", { targetVersion: NEW })).status).toBe(409);

    const end = Date.now() + 90_000;
    let view: {
      status: string;
      message: string | null;
      progress: { targets: number; succeeded: number; failed: number; rolledBack: number }[];
    };
    for (;;) {
      view = (await (await staff.c.get(`/api/v1/admin/rollouts/${rollout.id}`)).json()) as typeof view;
      if (view.status !== "running") break;
      if (Date.now() > end) throw new Error(`rollout stuck: ${JSON.stringify(view)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // This describe runs first: these four are the only instances. Eligible (by id): a, b, failing.
    // Ring 1 (25 %): a → succeeds; no bake; ring 2 (100 %): b and failing → failing's update
    // fails and rolls back: 1 of 2 > 20 % → halted.
    expect(pinned.agent.commands).toEqual([]);
    expect(a.agent.version).toBe(NEW);
    expect(failing.agent.commands.map((x) => x.name)).toContain("openclaw.update");
    expect(failing.agent.version).toBe(OLD);
    expect(view.status).toBe("halted");
    expect(view.message).toMatch(/1 of 2 updates in ring 2 .* failed or rolled back/);
    expect(view.progress[0]).toMatchObject({ targets: 1, succeeded: 1 });
    expect(view.progress[1]).toMatchObject({ targets: 2, rolledBack: 1 });

    // Staff resume a halted rollout once they have looked: the ring's failures so far are accepted,
    // and this was the last ring, so it completes. A finished rollout cannot be paused.
    expect((await staff.c.post(`/api/v1/admin/rollouts/${rollout.id}/pause`)).status).toBe(409);
    expect((await staff.c.post(`/api/v1/admin/rollouts/${rollout.id}/resume`)).status).toBe(200);
    for (const stop = Date.now() + 30_000; ; ) {
      view = (await (await staff.c.get(`/api/v1/admin/rollouts/${rollout.id}`)).json()) as typeof view;
      if (view.status === "completed" || Date.now() > stop) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(view.status).toBe("completed");
    expect(b.agent.version).toBe(NEW);
    expect((await staff.c.post(`/api/v1/admin/rollouts/${rollout.id}/pause`)).status).toBe(409);
    expect(((await staff.c.get("/api/v1/admin/rollouts").then((r) => r.json())) as { items: unknown[] }).items).toHaveLength(1);
  });
});

describe("updating an instance", () => {
  it("offers the newest version, updates with a verified backup first, and rolls back on request", async () => {
    const { c, credentialId } = await verifiedUser();
    const { id, agent } = await readyInstance(c, credentialId);
    const before = await waitFor(c, id, () => true);
    expect(before).toMatchObject({
      latestVersion: NEW,
      updateAvailable: true,
      pinnedVersion: null,
      rollbackVersion: null,
      operation: null,
    });

    const res = await c.post(`/api/v1/instances/${id}/update`, {});
    expect(res.status).toBe(202);
    const op = (await res.json()) as { id: string };
    expect(op).toMatchObject({ kind: "update", fromVersion: OLD, toVersion: NEW, status: "running" });
    // One change at a time.
    expect((await c.post(`/api/v1/instances/${id}/update`, {})).status).toBe(409);

    const done = await waitFor(c, id, finished);
    expect(done.operation).toMatchObject({ status: "succeeded" });
    expect(agent.commands.map((x) => x.name)).toEqual(["openclaw.backup", "openclaw.update", "openclaw.health"]);
    expect(agent.commands[1]?.args).toEqual({ version: NEW });
    // Command ids name the operation and step: a retried job re-sends the same id.
    expect(agent.commands.map((x) => x.id)).toEqual([`${op.id}:backup`, `${op.id}:update`, `${op.id}:health`]);
    const steps = done.events.map((e) => `${e.step}:${e.status}`);
    expect(steps).toEqual(expect.arrayContaining(["backup:start", "backup:ok", "update:ok", "health:ok"]));
    const after = await waitFor(c, id, (i) => i.runningOpenclawVersion === NEW);
    expect(after).toMatchObject({ openclawVersion: NEW, updateAvailable: false, rollbackVersion: OLD });

    // One-click rollback: the old version reinstalled with the backup taken before the update.
    expect((await c.post(`/api/v1/instances/${id}/rollback`)).status).toBe(202);
    const back = await waitFor(c, id, (i) => i.operation?.kind === "rollback" && finished(i));
    expect(back.operation).toMatchObject({ status: "succeeded" });
    const restore = agent.commands.find((x) => x.name === "openclaw.restore");
    expect(restore?.args).toEqual({ version: OLD, backup: agent.backups[0] });
    expect((await waitFor(c, id, (i) => i.runningOpenclawVersion === OLD)).openclawVersion).toBe(OLD);
    // Nothing left to roll back to.
    expect((await c.post(`/api/v1/instances/${id}/rollback`)).status).toBe(409);
  });

  it("stops before changing anything when the backup fails: no backup, no update", async () => {
    const { c, credentialId } = await verifiedUser();
    const { id, agent } = await readyInstance(c, credentialId, { fail: { "openclaw.backup": "BACKUP_FAILED" } });
    expect((await c.post(`/api/v1/instances/${id}/update`, { version: NEW })).status).toBe(202);
    const done = await waitFor(c, id, finished);
    expect(done.operation).toMatchObject({ status: "failed" });
    expect(done.operation?.message).toMatch(/No backup, no update/);
    expect(agent.commands.map((x) => x.name)).toEqual(["openclaw.backup"]);
    expect(agent.version).toBe(OLD);
  });

  it("reports the updater's own rollback when the update fails", async () => {
    const { c, credentialId } = await verifiedUser();
    const { id, agent } = await readyInstance(c, credentialId, { fail: { "openclaw.update": "UPDATE_FAILED" } });
    await c.post(`/api/v1/instances/${id}/update`, {});
    const done = await waitFor(c, id, finished);
    expect(done.operation).toMatchObject({ status: "rolled_back" });
    expect(done.operation?.message).toMatch(/The update failed: scripted failure/);
    expect(agent.commands.map((x) => x.name)).toEqual(["openclaw.backup", "openclaw.update", "openclaw.health"]);
    expect(agent.commands[2]?.args).toMatchObject({ version: OLD });
    expect(done.events.at(-1)?.message).toMatch(/rolled back: the instance runs 2026\.9\.5 again/);
  });

  it("restores the backup when the new version does not come up (after a schema migration)", async () => {
    const { c, credentialId } = await verifiedUser();
    const { id, agent } = await readyInstance(c, credentialId, { unhealthy: [NEW] });
    await c.post(`/api/v1/instances/${id}/update`, {});
    const done = await waitFor(c, id, finished);
    expect(done.operation).toMatchObject({ status: "rolled_back" });
    expect(agent.commands.map((x) => x.name)).toEqual([
      "openclaw.backup",
      "openclaw.update",
      "openclaw.health",
      "openclaw.restore",
      "openclaw.health",
    ]);
    expect(agent.commands[3]?.args).toEqual({ version: OLD, backup: agent.backups[0] });
    expect(agent.version).toBe(OLD);
    expect((await waitFor(c, id, (i) => i.runningOpenclawVersion === OLD)).openclawVersion).toBe(OLD);
  });

  it("pins, refuses what cannot be done with the reason, and keeps instances to their workspace", async () => {
    const { c, credentialId } = await verifiedUser();
    const { id } = await readyInstance(c, credentialId);
    expect((await c.request("PUT", `/api/v1/instances/${id}/pin`, { version: "latest" })).status).toBe(400);
    expect((await c.post(`/api/v1/instances/${id}/update`, { version: "1.0" })).status).toBe(400);
    expect((await c.post(`/api/v1/instances/${id}/update`, { version: NEW, extra: 1 })).status).toBe(400);
    expect((await c.request("PUT", `/api/v1/instances/${id}/pin`, { version: OLD })).status).toBe(200);
    const pinned = await waitFor(c, id, () => true);
    expect(pinned).toMatchObject({ pinnedVersion: OLD, updateAvailable: false });
    const refused = await c.post(`/api/v1/instances/${id}/update`, {});
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/already runs OpenClaw 2026\.9\.5|pinned/);
    const other = await verifiedUser();
    expect((await other.c.post(`/api/v1/instances/${id}/update`, {})).status).toBe(404);
    expect((await other.c.post(`/api/v1/instances/${id}/rollback`)).status).toBe(404);
    expect((await other.c.request("PUT", `/api/v1/instances/${id}/pin`, { version: null })).status).toBe(404);
    expect((await c.request("PUT", `/api/v1/instances/${id}/pin`, { version: null })).status).toBe(200);
    expect((await c.get("/api/v1/openclaw/versions").then((r) => r.json())) as unknown).toMatchObject({
      channels: expect.arrayContaining([expect.objectContaining({ channel: "stable", version: NEW })]),
      stale: false,
    });
  });
});
