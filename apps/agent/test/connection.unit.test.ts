import { mkdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { heartbeatSchema } from "@clawcloud/contracts";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CREDENTIAL_FILE, REVOKED_CREDENTIAL_FILE } from "../src/credential-store.ts";
import { EXIT_CONFIG } from "../src/exit-codes.ts";
import { AGENT_VERSION } from "../src/version.ts";
import { createHarness, type Harness, INSTANCE_ID } from "./support/agent-harness.ts";
import { FakeGateway } from "./support/fake-gateway.ts";
import { FakeServer, type FakeServerOptions } from "./support/fake-server.ts";
import { waitFor } from "./support/wait.ts";

describe("agent connection", () => {
  let server: FakeServer;
  let gateway: FakeGateway;
  let h: Harness;

  const setup = async (opts: FakeServerOptions = {}, config: Record<string, unknown> = {}) => {
    server = await FakeServer.start(opts);
    await h.writeConfig({
      serverUrl: server.url,
      registrationToken: server.issueToken(INSTANCE_ID),
      gatewayUrl: gateway.url,
      heartbeatIntervalSec: 0.03,
      ...config,
    });
  };

  beforeEach(async () => {
    gateway = await FakeGateway.start();
    h = await createHarness();
  });

  afterEach(async () => {
    await h.cleanup();
    await server?.close();
    await gateway.close();
    expect(server.protocolViolations).toEqual([]);
    // No secret ever reaches the log.
    const text = h.lines.join("\n");
    for (const secret of [...server.issuedCredentials, ...server.registrations.map((r) => r.token)]) expect(text).not.toContain(secret);
  });

  it("sends heartbeats that validate and carry the gateway's health and versions", async () => {
    // A fake installed openclaw package, reached through its bin symlink as npm lays it out.
    const pkgDir = join(h.dir, "prefix/lib/node_modules/openclaw");
    await mkdir(pkgDir, { recursive: true });
    await mkdir(join(h.dir, "prefix/bin"));
    await writeFile(join(pkgDir, "package.json"), JSON.stringify({ name: "openclaw", version: "2026.9.6" }));
    await writeFile(join(pkgDir, "openclaw.mjs"), "", { mode: 0o755 });
    await symlink(join(pkgDir, "openclaw.mjs"), join(h.dir, "prefix/bin/openclaw"));
    await setup({ heartbeatIntervalSec: 1 }, { openclawBin: join(h.dir, "prefix/bin/openclaw") });
    gateway.ready = false;

    const agent = await h.start();
    const first = await waitFor(() => server.heartbeats()[0], "first heartbeat");
    expect(heartbeatSchema.safeParse(first).success).toBe(true);
    expect(first).toMatchObject({
      seq: 0,
      agentVersion: AGENT_VERSION,
      openclawVersion: "2026.9.6",
      gateway: { healthy: true, ready: false, startupVersion: "2026.9.6" },
    });
    expect(first.cpu.cores).toBeGreaterThan(0);
    expect(first.memory.totalMb).toBeGreaterThan(0);
    expect(first.memory.availableMb).toBeLessThanOrEqual(first.memory.totalMb);
    expect(first.disk.totalMb).toBeGreaterThan(0);
    expect(first.disk.freeMb).toBeLessThanOrEqual(first.disk.totalMb);
    expect(first.uptimeSec).toBeGreaterThan(0);

    gateway.ready = true;
    const readyBeat = await waitFor(() => server.heartbeats().find((b) => b.gateway.ready), "a ready heartbeat");
    expect(readyBeat.gateway).toEqual({ healthy: true, ready: true, startupVersion: "2026.9.6" });

    gateway.live = false;
    gateway.ready = false;
    gateway.version = null;
    const down = await waitFor(() => server.heartbeats().find((b) => !b.gateway.healthy), "an unhealthy heartbeat");
    expect(down.gateway).toEqual({ healthy: false, ready: false, startupVersion: null });

    const seqs = server.heartbeats().map((b) => b.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    await agent.stop();
  });

  it("reports a gateway that is not listening as unhealthy, and an unknown openclaw as null", async () => {
    await setup({}, { gatewayUrl: "http://127.0.0.1:9" });
    const agent = await h.start();
    const beat = await waitFor(() => server.heartbeats()[0], "first heartbeat");
    expect(beat.gateway).toEqual({ healthy: false, ready: false, startupVersion: null });
    expect(beat.openclawVersion).toBeNull();
    await agent.stop();
  });

  it("uses the server's heartbeat interval when the config does not override it", async () => {
    await setup({ heartbeatIntervalSec: 1 }, { heartbeatIntervalSec: undefined });
    const agent = await h.start();
    await waitFor(() => server.heartbeats().length > 0, "first heartbeat");
    expect(h.logs().find((l) => l.msg === "connected")).toMatchObject({ heartbeatIntervalSec: 1 });
    await agent.stop();
  });

  it("reconnects with backoff after the server drops the socket, and keeps counting heartbeats", async () => {
    await setup();
    const agent = await h.start();
    for (let n = 1; n <= 3; n++) {
      const socket = await server.waitForConnection(n);
      await waitFor(() => server.heartbeats(n).length >= 2, `two heartbeats on connection ${n}`);
      socket.terminate();
    }
    await server.waitForConnection(4);
    await waitFor(() => server.heartbeats(4).length > 0, "heartbeat after the last reconnect");

    const disconnects = h.logs().filter((l) => l.msg === "disconnected");
    expect(disconnects.map((d) => d.attempt)).toEqual([1, 2, 3]); // the backoff grows while connections stay short
    expect(disconnects.every((d) => typeof d.retryInMs === "number" && d.retryInMs > 0 && d.retryInMs <= 80)).toBe(true);
    const seqs = server.heartbeats().map((b) => b.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i)); // one sequence across connections, no gaps
    await agent.stop();
  });

  it("backs off and reconnects when replaced by a newer connection (4409)", async () => {
    await setup();
    const agent = await h.start();
    (await server.waitForConnection(1)).close(4409, "replaced");
    await server.waitForConnection(2);
    expect(h.logs().some((l) => l.msg === "replaced_by_newer_connection" && l.code === 4409)).toBe(true);
    expect(server.registerAttempts).toBe(1);
    await agent.stop();
  });

  it("stops with exit 78 when the server closes with 4401, and explains on the next start", async () => {
    await setup();
    const agent = await h.start();
    const socket = await server.waitForConnection(1);
    server.revokeAll();
    socket.close(4401, "credential revoked");
    expect(await agent.done).toBe(EXIT_CONFIG);
    expect(h.logs().find((l) => l.msg === "credential_revoked")).toMatchObject({ level: "error", reason: "credential revoked" });
    expect(server.connections).toBe(1);
    await expect(stat(join(h.stateDir, CREDENTIAL_FILE))).rejects.toThrow();
    await stat(join(h.stateDir, REVOKED_CREDENTIAL_FILE));

    // The token was removed from the config at registration, so nothing can re-register it.
    const again = await h.start();
    expect(await again.done).toBe(EXIT_CONFIG);
    expect(h.logs().some((l) => l.msg === "credential_revoked_no_token")).toBe(true);
    expect(server.registerAttempts).toBe(1);
  });

  it("registers again after a revocation once a person puts a new token in the config", async () => {
    await setup();
    const agent = await h.start();
    const socket = await server.waitForConnection(1);
    server.revokeAll();
    socket.close(4401, "credential revoked");
    expect(await agent.done).toBe(EXIT_CONFIG);

    await h.writeConfig({ serverUrl: server.url, registrationToken: server.issueToken(INSTANCE_ID), heartbeatIntervalSec: 0.03 });
    const again = await h.start();
    await waitFor(() => server.heartbeats(2).length > 0, "heartbeat after re-registration");
    expect(server.registrations).toHaveLength(2);
    expect(server.registrations[1]?.publicKey).toBe(server.registrations[0]?.publicKey);
    expect(server.issuedCredentials).toHaveLength(2);
    await again.stop();
  });

  it("treats an HTTP 401 on the upgrade like a revoked credential", async () => {
    await setup({ rejectWith: "http-401" });
    const agent = await h.start();
    await server.waitForConnection(1);
    server.revokeAll();
    server.current?.terminate();
    expect(await agent.done).toBe(EXIT_CONFIG);
    expect(server.rejectedConnections).toBe(1);
  });

  it("answers a ping command with pong, and reports unknown commands and bad arguments", async () => {
    await setup();
    const agent = await h.start();
    await server.waitForConnection(1);
    server.sendCommand("c1", "ping");
    server.sendCommand("c2", "reboot-the-moon");
    server.sendCommand("c3", "ping", { extra: 1 });
    await waitFor(() => server.results().length >= 3, "three results");
    const byId = Object.fromEntries(server.results().map((r) => [r.id, r]));
    expect(byId.c1).toEqual({ type: "result", id: "c1", ok: true, data: { pong: true } });
    expect(byId.c2).toMatchObject({ ok: false, error: { code: "UNKNOWN_COMMAND" } });
    expect(byId.c3).toMatchObject({ ok: false, error: { code: "INVALID_ARGS" } });

    server.sendCommand("c1", "ping"); // a retried id gets the same answer
    await waitFor(() => server.results().length >= 4, "the repeated result");
    expect(server.results()[3]).toEqual(byId.c1);
    await agent.stop();
  });

  it("ignores invalid server frames without dropping the connection", async () => {
    await setup();
    const agent = await h.start();
    await server.waitForConnection(1);
    server.sendRaw("not json {");
    server.sendRaw(JSON.stringify({ type: "teleport", to: "mars" }));
    server.sendRaw(JSON.stringify({ type: "command", name: "ping", args: {} })); // no id
    server.sendRaw(JSON.stringify({ type: "command", id: "x".repeat(65), name: "ping", args: {} }));
    server.sendRaw(JSON.stringify({ type: "welcome", instanceId: INSTANCE_ID, heartbeatIntervalSec: 1, extra: true }));
    server.sendRaw(Buffer.from([1, 2, 3]));
    server.sendRaw(JSON.stringify(null));
    server.sendCommand("after", "ping");
    await waitFor(() => server.results().find((r) => r.id === "after"), "the ping after the garbage");
    expect(h.logs().filter((l) => l.msg === "invalid_frame_ignored")).toHaveLength(6);
    // A binary frame is relay traffic: one that is not a relay frame is dropped by the relay.
    expect(h.logs().filter((l) => l.msg === "relay_frame_ignored")).toHaveLength(1);
    expect(server.connections).toBe(1);
    expect(server.results()).toHaveLength(1);
    await agent.stop();
  });

  it("stops with exit 78 when the server welcomes a different instance", async () => {
    await setup();
    server.welcomeInstanceId = "ins_99999999999999999999999999";
    const agent = await h.start();
    expect(await agent.done).toBe(EXIT_CONFIG);
    expect(h.logs().find((l) => l.msg === "connection_fatal")?.reason).toMatch(/ins_99999999999999999999999999/);
    expect(server.heartbeats()).toEqual([]);
  });

  it("drops a connection whose pongs stopped and reconnects", async () => {
    await setup({ autoPong: false }, { tuning: { keepaliveIntervalMs: 30, reconnectMinDelayMs: 10, reconnectMaxDelayMs: 20 } });
    const agent = await h.start();
    await server.waitForConnection(2);
    expect(h.logs().some((l) => l.msg === "keepalive_timeout")).toBe(true);
    await agent.stop();
  });

  it("forwards bootstrap progress lines as events, once", async () => {
    const progressFile = join(h.dir, "bootstrap-progress.jsonl");
    await setup({}, { bootstrapProgressFile: progressFile });
    await mkdir(h.stateDir, { recursive: true });
    await writeFile(progressFile, `${JSON.stringify({ name: "node-install", status: "ok" })}\n{broken\n`);
    const agent = await h.start();
    await waitFor(() => server.events().find((e) => e.name === "node-install"), "first progress event");
    await writeFile(
      progressFile,
      [
        { name: "node-install", status: "ok" },
        {},
        { name: "openclaw-install", status: "start" },
        { name: "openclaw-install", status: "ok", message: "openclaw 2026.9.6" },
        { name: "bootstrap", status: "ok" },
      ]
        .map((l, i) => (i === 1 ? "{broken" : JSON.stringify(l)))
        .join("\n")
        .concat("\n"),
    );
    await waitFor(() => server.events().find((e) => e.name === "bootstrap"), "bootstrap done event");
    const progress = () => server.events().filter((e) => !e.name.startsWith("agent-"));
    expect(progress().map((e) => `${e.name} ${e.status}${e.message ? ` ${e.message}` : ""}`)).toEqual([
      "node-install ok",
      "openclaw-install start",
      "openclaw-install ok openclaw 2026.9.6",
      "bootstrap ok",
    ]);
    expect(h.logs().filter((l) => l.msg === "bootstrap_progress_line_invalid")).toHaveLength(1);
    await agent.stop();

    const again = await h.start(); // a restart does not send them again
    await waitFor(() => server.heartbeats(2).length > 0, "heartbeat after restart");
    expect(progress()).toHaveLength(4);
    await again.stop();
    await rm(progressFile);
  });
});
