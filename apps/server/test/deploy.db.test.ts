// A deploy end to end on the server side: the API, the job queue, the state machine against the
// DigitalOcean simulator, the real cloud-init renderer, and the real agent bundle calling back
// over HTTP and a WebSocket — with a stand-in for OpenClaw's gateway health endpoints.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DigitalOceanSimulator, startDigitalOceanSimulator } from "../../../packages/providers/test/simulator/digitalocean.ts";
import { verifiedUserWithAccount } from "../../../test-support/simulated-deploy.ts";
import { startTestApp, type TestApp, type TestClient, uniqueEmail } from "../../../test-support/test-app.ts";

const agentBundle = join(import.meta.dirname, "..", "..", "agent", "dist", "clawcloud-agent.js");

let sim: DigitalOceanSimulator;
let t: TestApp;
let gateway: Server;
let gatewayUrl: string;
const agents: ChildProcess[] = [];

beforeAll(async () => {
  sim = await startDigitalOceanSimulator({ rateLimits: false });
  t = await startTestApp({ env: { CLAWCLOUD_DIGITALOCEAN_API_URL: sim.url, CLAWCLOUD_AGENT_URL: "https://agents.clawcloud.test" } });
  gateway = createServer((req, res) => {
    const ok = req.url === "/healthz" || req.url === "/readyz" || req.url === "/startupz";
    res.writeHead(ok ? 200 : 404, { "content-type": "application/json" });
    res.end(req.url === "/startupz" ? '{"ok":true,"status":"started","version":"2026.9.6"}' : '{"ok":true,"ready":true}');
  });
  await new Promise<void>((r) => gateway.listen(0, "127.0.0.1", r));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const a of agents) a.kill("SIGTERM");
  await t?.stop();
  await sim?.stop();
  await new Promise((r) => gateway?.close(r));
});

async function waitForInstance(c: TestClient, id: string, pred: (i: Record<string, unknown>) => boolean, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const res = await c.get(`/api/v1/instances/${id}`);
    const body = (await res.json()) as Record<string, unknown>;
    if (res.status === 200 && pred(body)) return body;
    if (Date.now() > end) throw new Error(`instance ${id} did not get there: ${JSON.stringify(body).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("deploying to a cloud account", () => {
  it("goes from Deploy to ready with the real agent calling back", async () => {
    const { c, credentialId } = await verifiedUserWithAccount(t);
    const res = await c.post("/api/v1/instances", {
      name: "my-assistant",
      provider: "digitalocean",
      credentialId,
      region: "nyc3",
      size: "s-2vcpu-4gb",
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; state: string; openclawVersion: string };
    expect(created.id).toMatch(/^ins_/);
    expect(created.state).toBe("pending");
    expect(created.openclawVersion).toBe("2026.9.6");

    const waiting = await waitForInstance(c, created.id, (i) => i.step === "awaiting_agent");
    expect(waiting.state).toBe("booting");
    const droplets = [...sim.droplets.values()].filter((d) => d.tags.includes(`clawcloud-instance:${created.id}`));
    expect(droplets).toHaveLength(1);
    const userData = droplets[0]?.userData ?? "";
    expect(userData.startsWith("#cloud-config")).toBe(true);
    expect(Buffer.byteLength(userData)).toBeLessThanOrEqual(16 * 1024);
    const token = /CC_REGISTRATION_TOKEN='([A-Za-z0-9_-]+)'/.exec(userData)?.[1];
    expect(token).toBeTruthy();

    // What cloud-init would start on the server: the agent, with the token from the user-data.
    const dir = mkdtempSync(join(tmpdir(), "cc-agent-"));
    writeFileSync(
      join(dir, "config.json"),
      JSON.stringify({ serverUrl: t.url, instanceId: created.id, registrationToken: token, stateDir: join(dir, "state"), gatewayUrl }),
      { mode: 0o600 },
    );
    const agent = spawn(process.execPath, [agentBundle, "--config", join(dir, "config.json")], { stdio: "ignore" });
    agents.push(agent);

    const ready = await waitForInstance(c, created.id, (i) => i.state === "ready");
    expect(ready.agentVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(ready.agentPublicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect((ready.events as { step: string }[]).map((e) => e.step)).toEqual(
      expect.arrayContaining(["creating", "booting", "agent_registered", "ready"]),
    );
    const list = (await (await c.get("/api/v1/instances")).json()) as { items: { id: string; state: string }[] };
    expect(list.items.find((i) => i.id === created.id)?.state).toBe("ready");

    // Delete: the server first, then the row.
    expect((await c.request("DELETE", `/api/v1/instances/${created.id}`)).status).toBe(202);
    const end = Date.now() + 60_000;
    while ((await c.get(`/api/v1/instances/${created.id}`)).status !== 404) {
      if (Date.now() > end) throw new Error("the instance was not deleted");
      await new Promise((r) => setTimeout(r, 250));
    }
    expect([...sim.droplets.values()].filter((d) => d.tags.includes(`clawcloud-instance:${created.id}`))).toHaveLength(0);
    agent.kill("SIGTERM");
  });

  it("refuses what cannot work, with the reason", async () => {
    const { c, credentialId } = await verifiedUserWithAccount(t);
    const small = await c.post("/api/v1/instances", {
      name: "tiny",
      provider: "digitalocean",
      credentialId,
      region: "nyc3",
      size: "s-1vcpu-1gb",
    });
    expect(small.status).toBe(400);
    expect(((await small.json()) as { error: { message: string } }).error.message).toMatch(/needs at least 2 GB/);
    const missing = await c.post("/api/v1/instances", { name: "x", provider: "digitalocean" });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/credentialId: is required/);
    const unverified = t.client();
    await unverified.signUp(uniqueEmail("unverified"));
    const res = await unverified.post("/api/v1/instances", {
      name: "x",
      provider: "digitalocean",
      credentialId,
      region: "nyc3",
      size: "s-2vcpu-4gb",
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("EMAIL_NOT_VERIFIED");
  });

  it("keeps instances to their workspace", async () => {
    const { c, credentialId } = await verifiedUserWithAccount(t);
    const { id } = (await (
      await c.post("/api/v1/instances", { name: "mine", provider: "digitalocean", credentialId, region: "nyc3", size: "s-2vcpu-4gb" })
    ).json()) as { id: string };
    const other = await verifiedUserWithAccount(t);
    expect((await other.c.get(`/api/v1/instances/${id}`)).status).toBe(404);
    expect((await other.c.request("DELETE", `/api/v1/instances/${id}`)).status).toBe(404);
    expect((await other.c.get(`/api/v1/instances/${id}/stream`)).status).toBe(404);
    // Someone else's cloud account cannot be deployed with either.
    const res = await other.c.post("/api/v1/instances", {
      name: "x",
      provider: "digitalocean",
      credentialId,
      region: "nyc3",
      size: "s-2vcpu-4gb",
    });
    expect(res.status).toBe(404);
  });
});
