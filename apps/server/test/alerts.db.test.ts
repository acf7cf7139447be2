// Alerts end to end through the real server, its job queue and workers: e-mail reaches a real SMTP
// server started here, webhooks reach a receiver started here with valid signatures (the first
// attempt fails and the queue retries), each exactly once per incident however many unhealthy
// heartbeats arrive; the webhook secret is shown once and is nowhere else — not in the log, the
// messages or the database in readable form. Metrics are readable by the owner's workspace only.
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { openDatabase, schema, sql } from "@clawcloud/db";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../../packages/core/src/ids.ts";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.ts";
import { dumpDatabase, encodings } from "../../../test-support/dump.ts";
import { startTestApp, type TestApp, type TestClient, uniqueEmail } from "../../../test-support/test-app.ts";

const mails: { to: string[]; data: string }[] = [];
const hooks: { signature: string; body: string; status: number }[] = [];
let smtp: SMTPServer;
let receiver: Server;
let tdb: TestDatabase;
let env: Record<string, string>;
const logs: string[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let data = "";
      stream.on("data", (c) => {
        data += c;
      });
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data: data.replace(/=\r?\n/g, "") });
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  // The very first delivery is answered 500, so the queue's retry is exercised.
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const status = hooks.length === 0 ? 500 : 200;
      hooks.push({ signature: String(req.headers["clawcloud-signature"] ?? ""), body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  tdb = await createTestDatabase();
  env = {
    SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    CLAWCLOUD_WEBHOOK_ALLOW_PRIVATE: "true",
  };
});
afterAll(async () => {
  await new Promise<void>((r) => smtp?.close(() => r()));
  await new Promise<void>((r) => receiver?.close(() => r()));
  await tdb?.drop();
});

async function withApp<T>(fn: (t: TestApp) => Promise<T>): Promise<T> {
  const t = await startTestApp({ db: tdb, env });
  try {
    return await fn(t);
  } finally {
    await t.stop();
    logs.push(...t.logs);
  }
}

async function signedIn(t: TestApp, email: string): Promise<TestClient> {
  const c = t.client();
  if ((await c.signIn(email)).status !== 200) await c.signUp(email);
  return c;
}

const heartbeat = (healthy: boolean) => ({
  type: "heartbeat",
  seq: 1,
  agentVersion: "0.1.0",
  openclawVersion: "2026.9.6",
  gateway: { healthy, ready: healthy, startupVersion: "2026.9.6" },
  cpu: { load1: 0.3, cores: 2 },
  memory: { totalMb: 4096, availableMb: 2048 },
  disk: { totalMb: 50_000, freeMb: 30_000 },
  uptimeSec: 600,
});

const alertMails = (to: string) => mails.filter((m) => m.to.includes(to) && /^Subject: Claw Cloud: /m.test(m.data));
const accepted = () => hooks.filter((h) => h.status === 200);

async function until(what: string, ok: () => boolean, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("alerts", () => {
  const alice = uniqueEmail("alice");
  const bob = uniqueEmail("bob");
  let secret = "";
  let workspaceId = "";
  const flaky = newId("instance");
  const silent = newId("instance");

  it("configures a webhook: the secret is shown once; bad URLs are a clear 400", async () => {
    await withApp(async (t) => {
      const c = await signedIn(t, alice);
      await signedIn(t, bob);
      expect(await (await c.get("/api/v1/me/alerts")).json()).toEqual({ emailEnabled: true, email: alice, webhookUrl: null });
      const bad = await c.patch("/api/v1/me/alerts", { webhookUrl: "ftp://example.com/x" });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const res = await c.patch("/api/v1/me/alerts", { webhookUrl: url });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { webhookSecret?: string; webhookUrl: string };
      expect(body.webhookUrl).toBe(url);
      secret = body.webhookSecret ?? "";
      expect(secret).toMatch(/^whsec_/);
      expect(await (await c.get("/api/v1/me/alerts")).json()).toEqual({ emailEnabled: true, email: alice, webhookUrl: url });
      workspaceId = ((await (await c.get("/api/v1/me")).json()) as { workspace: { id: string } }).workspace.id;
    });
    // Two running instances in alice's workspace; one has been silent for two minutes.
    const database = await openDatabase({ url: tdb.databaseUrl, dataDir: tdb.dataDir });
    try {
      for (const [id, name, ago] of [
        [flaky, "flaky", 0],
        [silent, "silent", 120],
      ] as const)
        await database.db.insert(schema.instances).values({
          id,
          workspaceId,
          name,
          provider: "digitalocean",
          state: "ready",
          step: "ready",
          lastHeartbeatAt: sql`now() - make_interval(secs => ${ago})`,
        });
    } finally {
      await database.close();
    }
  });

  it("sends each alert once per incident, by e-mail and signed webhook, and serves metrics to the owner only", async () => {
    await withApp(async (t) => {
      const core = t.server.core;
      // A storm of unhealthy heartbeats: one incident, one alert.
      for (let k = 0; k < 5; k++) await core.agents.heartbeat(flaky, heartbeat(false));
      // The every-minute job may get to the silent instance first; between them it is marked once.
      const marked = (await core.provisioning.markUnreachable()) + (await core.provisioning.markUnreachable());
      expect(marked).toBeLessThanOrEqual(1);
      await until("the degraded and unreachable alerts", () => alertMails(alice).length >= 2 && accepted().length >= 2);
      await core.agents.heartbeat(flaky, heartbeat(true));
      await core.agents.heartbeat(flaky, heartbeat(true));
      await core.agents.heartbeat(silent, heartbeat(true));
      await core.monitoring.raiseAlert({
        instanceId: flaky,
        kind: "update_failed",
        reason: "The health check failed after updating; rolled back to 2026.9.5.",
      });
      await until("five alerts", () => alertMails(alice).length >= 5 && accepted().length >= 5);
      await new Promise((r) => setTimeout(r, 2000));

      const subjects = alertMails(alice)
        .map((m) => /^Subject: (.*)$/m.exec(m.data)?.[1])
        .sort();
      expect(subjects).toEqual([
        "Claw Cloud: flaky could not be updated",
        "Claw Cloud: flaky has recovered",
        "Claw Cloud: flaky is degraded",
        "Claw Cloud: silent has recovered",
        "Claw Cloud: silent is unreachable",
      ]);
      expect(alertMails(bob)).toHaveLength(0);
      const bodies = accepted().map((h) => JSON.parse(h.body) as { id: string; type: string; instance: { id: string } });
      expect(new Set(bodies.map((b) => b.id)).size).toBe(5);
      expect(bodies.map((b) => b.type).sort()).toEqual([
        "instance.degraded",
        "instance.recovered",
        "instance.recovered",
        "instance.unreachable",
        "instance.update_failed",
      ]);
      // The failed first attempt was retried with the same alert.
      expect(hooks.filter((h) => h.status === 500)).toHaveLength(1);
      expect(bodies.some((b) => b.id === JSON.parse(hooks[0]?.body ?? "{}").id)).toBe(true);
      for (const h of hooks) {
        const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(h.signature) ?? [];
        expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(120);
        expect(v1).toBe(createHmac("sha256", secret).update(`${ts}.${h.body}`).digest("hex"));
      }
      expect(alertMails(alice)[0]?.data).toContain(`http://localhost:3000/instances/`);

      const owner = await signedIn(t, alice);
      const metrics = await owner.get(`/api/v1/instances/${flaky}/metrics?range=1h`);
      expect(metrics.status).toBe(200);
      const m = (await metrics.json()) as { points: { gatewayHealthy: boolean; memUsedMb: number }[] };
      expect(m.points.length).toBeGreaterThanOrEqual(1);
      expect(m.points.some((p) => !p.gatewayHealthy)).toBe(true);
      expect(m.points[0]?.memUsedMb).toBe(2048);
      expect((await owner.get(`/api/v1/instances/${flaky}/metrics?range=1y`)).status).toBe(400);
      const other = await signedIn(t, bob);
      expect((await other.get(`/api/v1/instances/${flaky}/metrics?range=1h`)).status).toBe(404);

      const timeline = (await (await owner.get(`/api/v1/instances/${silent}`)).json()) as { events: { step: string }[] };
      expect(timeline.events.map((e) => e.step)).toEqual(["unreachable", "recovered"]);
    });
  });

  it("keeps the webhook secret out of the log, the messages and the database", async () => {
    const everything = [
      logs.join("\n"),
      mails.map((m) => m.data).join("\n"),
      hooks.map((h) => h.body).join("\n"),
      await dumpDatabase(tdb),
    ].join("\n");
    for (const form of encodings(secret)) expect(everything).not.toContain(form);
  });
});
