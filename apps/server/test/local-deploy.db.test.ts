// Deploying to this machine for real, on the server side: the API, the job queue, the state
// machine, the local driver running the real install script (OpenClaw 2026.9.6 from the npm
// registry, ~70 s with a warm npm cache), the real gateway and the real agent calling back. Then a
// restart of the server relaunches the instance, and delete stops its processes and removes its
// directory. One real install per `npm test` here: on PGlite only (the PostgreSQL run of the
// other db tests covers the same core code; the browser test makes the second install).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseKind } from "../../../test-support/database.ts";
import { startTestApp, type TestApp, type TestClient, uniqueEmail } from "../../../test-support/test-app.ts";

const PLANTED = "planted-server-secret-3f9c1a";
let t: TestApp | undefined;
let restarted: TestApp | undefined;

beforeAll(async () => {
  process.env.CLAWCLOUD_TEST_PLANTED_SECRET = PLANTED; // in this (the server's) process environment
  if (testDatabaseKind === "pglite") t = await startTestApp();
});
afterAll(async () => {
  delete process.env.CLAWCLOUD_TEST_PLANTED_SECRET;
  // Stopping a server stops its local instances' processes; then the data directory goes.
  await restarted?.stop();
  if (restarted) await t?.db.drop();
  else await t?.stop();
});

async function waitFor(c: TestClient, id: string, pred: (i: Instance) => boolean, ms: number): Promise<Instance> {
  const end = Date.now() + ms;
  for (;;) {
    const res = await c.get(`/api/v1/instances/${id}`);
    const body = (await res.json()) as Instance;
    if (res.status === 200 && pred(body)) return body;
    if (body.state === "failed") throw new Error(`the local deploy failed: ${body.stateMessage}`);
    if (Date.now() > end) throw new Error(`instance ${id} did not get there: ${JSON.stringify(body).slice(0, 600)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

interface Instance {
  id: string;
  state: string;
  step: string;
  stateMessage: string | null;
  runningOpenclawVersion: string | null;
  lastHeartbeatAt: string | null;
  events: { step: string; status: string; message: string | null }[];
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const pidOf = (file: string) => Number(readFileSync(file, "utf8").trim());

describe.runIf(testDatabaseKind === "pglite")("deploying to this machine", () => {
  it("installs OpenClaw, becomes ready, survives a restart and is removed by delete", { timeout: 600_000 }, async () => {
    const app = t as TestApp;
    const c = app.client();
    await c.signUp(uniqueEmail("local")); // no verified e-mail needed for this machine
    const started = Date.now();
    const res = await c.post("/api/v1/instances", { name: "on-this-machine", provider: "local" });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };

    const ready = await waitFor(c, id, (i) => i.state === "ready", 420_000);
    console.log(`local deploy: Deploy → ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(ready.runningOpenclawVersion).toBe("2026.9.6");
    const steps = ready.events.map((e) => `${e.step} ${e.status}`);
    expect(steps).toEqual(expect.arrayContaining(["agent:openclaw-install ok", "agent:done ok", "agent_registered ok", "ready ok"]));
    // Reported once, live from the script: the agent does not forward them again.
    expect(steps.filter((s) => s === "agent:openclaw-install ok")).toHaveLength(1);

    const dir = join(app.db.dataDir, "instances", id);
    const gatewayPid = pidOf(join(dir, "run", "gateway.pid"));
    const agentPid = pidOf(join(dir, "run", "agent.pid"));
    expect(alive(gatewayPid) && alive(agentPid)).toBe(true);
    // The children do not inherit the server's environment (its secrets).
    for (const pid of [gatewayPid, agentPid]) {
      expect(readFileSync(`/proc/${pid}/environ`, "utf8")).not.toContain(PLANTED);
    }

    // A restart stops the processes and the next start relaunches them.
    await app.server.stop();
    expect(alive(gatewayPid) || alive(agentPid)).toBe(false);
    const t2 = await startTestApp({ db: app.db });
    restarted = t2;
    {
      const c2 = t2.client();
      c2.cookies.clear();
      for (const [k, v] of c.cookies) c2.cookies.set(k, v);
      const since = Date.now();
      await waitFor(c2, id, (i) => !!i.lastHeartbeatAt && Date.parse(i.lastHeartbeatAt) > since, 180_000);
      const newGateway = pidOf(join(dir, "run", "gateway.pid"));
      expect(newGateway).not.toBe(gatewayPid);
      expect(alive(newGateway)).toBe(true);

      expect((await c2.request("DELETE", `/api/v1/instances/${id}`)).status).toBe(202);
      const end = Date.now() + 60_000;
      while ((await c2.get(`/api/v1/instances/${id}`)).status !== 404) {
        if (Date.now() > end) throw new Error("the instance was not deleted");
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(existsSync(dir)).toBe(false);
      expect(alive(newGateway)).toBe(false);
    }
  });
});
