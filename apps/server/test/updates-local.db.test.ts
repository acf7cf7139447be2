// Updates against REAL OpenClaw on the `local` provider: one real install of 2026.9.5 shared by
// the steps below (installs take minutes). PGlite only, like local-deploy.db.test.ts.
//
// How a failure is forced deterministically: an update to a version that does not exist on the
// registry (2026.9.99). The real backup runs first (`openclaw backup create --verify`), OpenClaw's
// real updater then fails to stage the package and leaves 2026.9.5 installed, and the health check
// finds 2026.9.5 serving again: the operation ends `rolled_back` with the updater's reason.
// The 2026.9.5 → 2026.9.6 success and the backup-restore rollback after it (OpenClaw refuses the
// downgrade after its schema migration) take ~15 minutes on 2 busy vCPUs (measured: updater 628 s,
// health 78 s, restore 149 s, health 43 s): set CLAWCLOUD_TEST_REAL_UPDATE=1.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseKind } from "../../../test-support/database.ts";
import { startTestApp, type TestApp, type TestClient, uniqueEmail } from "../../../test-support/test-app.ts";

let t: TestApp | undefined;
let c: TestClient;
let id: string;

interface Detail {
  state: string;
  runningOpenclawVersion: string | null;
  rollbackVersion: string | null;
  operation: { kind: string; status: string; step: string; message: string | null } | null;
  events: { step: string; status: string; message: string | null }[];
}

async function waitFor(pred: (i: Detail) => boolean, ms: number): Promise<Detail> {
  const end = Date.now() + ms;
  for (;;) {
    const body = (await (await c.get(`/api/v1/instances/${id}`)).json()) as Detail;
    if (pred(body)) return body;
    if (body.state === "failed") throw new Error(`the local deploy failed: ${JSON.stringify(body).slice(0, 600)}`);
    if (Date.now() > end)
      throw new Error(`did not get there: ${JSON.stringify({ ...body, events: body.events.slice(-8) }).slice(0, 1500)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const real = testDatabaseKind === "pglite";

beforeAll(async () => {
  if (!real) return;
  t = await startTestApp();
  c = t.client();
  await c.signUp(uniqueEmail("local-upd"));
  const res = await c.post("/api/v1/instances", { name: "update-me", provider: "local", openclawVersion: "2026.9.5" });
  id = ((await res.json()) as { id: string }).id;
  await waitFor((i) => i.state === "ready" && i.runningOpenclawVersion === "2026.9.5", 480_000);
}, 600_000);
// Stopping removes two OpenClaw installs and their npm cache (over a GB): minutes on a busy disk.
afterAll(async () => {
  await t?.stop();
}, 600_000);

describe.runIf(real)("updating real OpenClaw on this machine", () => {
  it("takes a real verified backup, and rolls back by itself when the update fails", { timeout: 900_000 }, async () => {
    const started = Date.now();
    const res = await c.post(`/api/v1/instances/${id}/update`, { version: "2026.9.99" });
    expect(res.status).toBe(202);
    const done = await waitFor((i) => i.operation?.status !== "running", 840_000);
    console.log(`real update failure → rolled back in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(done.operation).toMatchObject({ kind: "update", status: "rolled_back" });
    expect(done.operation?.message).toMatch(/The update failed/);
    const steps = done.events.map((e) => `${e.step}:${e.status}`);
    expect(steps).toEqual(expect.arrayContaining(["backup:ok", "update:failed", "rollback_check:ok"]));
    const backups = readdirSync(join((t as TestApp).db.dataDir, "instances", id, "agent", "state", "backups"));
    expect(backups.filter((f) => f.endsWith(".tar.gz"))).toHaveLength(1);
    // The gateway was stopped and started again (not "degraded": the update held it down), ready on 2026.9.5.
    await waitFor((i) => i.runningOpenclawVersion === "2026.9.5" && i.state === "ready", 180_000);
  });

  it.runIf(process.env.CLAWCLOUD_TEST_REAL_UPDATE === "1")(
    "updates 2026.9.5 → 2026.9.6, then rolls back with the backup after the schema migration",
    { timeout: 1_800_000 },
    async () => {
      expect((await c.post(`/api/v1/instances/${id}/update`, { version: "2026.9.6" })).status).toBe(202);
      const updated = await waitFor((i) => i.operation?.status !== "running", 1_200_000);
      expect(updated.operation).toMatchObject({ status: "succeeded" });
      expect((await waitFor((i) => i.runningOpenclawVersion === "2026.9.6", 120_000)).rollbackVersion).toBe("2026.9.5");

      expect((await c.post(`/api/v1/instances/${id}/rollback`)).status).toBe(202);
      const back = await waitFor((i) => i.operation?.kind === "rollback" && i.operation.status !== "running", 900_000);
      expect(back.operation).toMatchObject({ status: "succeeded" });
      await waitFor((i) => i.runningOpenclawVersion === "2026.9.5" && i.state === "ready", 180_000);
    },
  );
});
