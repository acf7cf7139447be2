// Support access end to end: the API, the real agent (in-process, with a clock the test can move)
// connected through a relay the test can cut, a real sshd on loopback, and ssh through the
// ProxyCommand client and the agent's outbound tunnel. Runs once (PGlite); the API rules also on
// PostgreSQL.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { SUPPORT_TUNNEL_PATH, SUPPORT_TUNNEL_PROTOCOL } from "@clawcloud/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  type DigitalOceanSimulator,
  DO_TOKENS,
  startDigitalOceanSimulator,
} from "../../../packages/providers/test/simulator/digitalocean.ts";
import { testDatabaseKind } from "../../../test-support/database.ts";
import { freePort } from "../../../test-support/free-port.ts";
import { startTestApp, type TestApp, type TestClient, uniqueEmail, waitForLog } from "../../../test-support/test-app.ts";
import type { RunningAgent } from "../../agent/src/agent.ts";
import { startAgent } from "../../agent/src/agent.ts";
import { loadConfig } from "../../agent/src/config.ts";
import { createLogger } from "../../agent/src/log.ts";
import { SSHD, type Sshd, sshKeygen, startSshd } from "./support/sshd.ts";
import { type Relay, startRelay } from "./support/tcp-relay.ts";

const dir = mkdtempSync(join(tmpdir(), "cc-support-"));
const clientKey = join(dir, "support_ed25519");
const supportPublicKey = sshKeygen(clientKey);
const staffEmail = uniqueEmail("staff");
const staffEmail2 = uniqueEmail("staff");
const cli = join(import.meta.dirname, "..", "src", "support-cli.ts");
// biome-ignore lint/suspicious/noTemplateCurlyInString: user input that looks like a template must stay plain text
const REASON = 'Check the gateway <script>alert(1)</script> $(touch /tmp/pwned) ${HOME} "quoted"';

let sim: DigitalOceanSimulator;
let t: TestApp;

beforeAll(async () => {
  sim = await startDigitalOceanSimulator({ rateLimits: false });
  t = await startTestApp({
    env: {
      CLAWCLOUD_DIGITALOCEAN_API_URL: sim.url,
      CLAWCLOUD_AGENT_URL: "https://agents.clawcloud.test",
      CLAWCLOUD_STAFF_EMAILS: `${staffEmail},${staffEmail2}`,
      CLAWCLOUD_SUPPORT_SSH_PUBLIC_KEY: supportPublicKey,
    },
  });
});
afterAll(async () => {
  await t?.stop();
  await sim?.stop();
});

async function verifiedUser(email = uniqueEmail("owner")): Promise<TestClient> {
  const c = t.client();
  await c.signUp(email);
  const line = await waitForLog(t.logs, new RegExp(`Verify your e-mail.*${email.replace(/[.+]/g, "\\$&")}`));
  const link = new URL(JSON.parse(line).mail.link as string);
  await c.get(link.pathname + link.search);
  return c;
}

/** A DigitalOcean deploy up to "waiting for the agent"; returns the instance id and its registration token. */
async function deployedInstance(c: TestClient): Promise<{ id: string; token: string }> {
  const cred = await c.post("/api/v1/credentials", { provider: "digitalocean", label: "DO", secret: DO_TOKENS.valid });
  const credentialId = ((await cred.json()) as { id: string }).id;
  const res = await c.post("/api/v1/instances", {
    name: "supported",
    provider: "digitalocean",
    credentialId,
    region: "nyc3",
    size: "s-2vcpu-4gb",
  });
  const { id } = (await res.json()) as { id: string };
  const end = Date.now() + 60_000;
  for (;;) {
    const droplet = [...sim.droplets.values()].find((d) => d.tags.includes(`clawcloud-instance:${id}`));
    const token = /CC_REGISTRATION_TOKEN='([A-Za-z0-9_-]+)'/.exec(droplet?.userData ?? "")?.[1];
    const instance = (await (await c.get(`/api/v1/instances/${id}`)).json()) as { step: string; stateMessage: string | null };
    if (token && instance.step === "awaiting_agent") return { id, token };
    if (Date.now() > end) throw new Error(`the deploy did not reach awaiting_agent: ${instance.step} ${instance.stateMessage}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function until<T>(what: string, fn: () => T | Promise<T>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Opens the staff side of a tunnel; the HTTP status of the refusal (101 if it opened). */
const openTunnel = (ticket: string) =>
  new Promise<number>((resolve) => {
    const ws = new WebSocket(`${t.url.replace("http", "ws")}${SUPPORT_TUNNEL_PATH}?ticket=${ticket}`, SUPPORT_TUNNEL_PROTOCOL);
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("open", () => {
      ws.close();
      resolve(101);
    });
    ws.on("error", () => undefined);
  });

const steps = async (c: TestClient, id: string) =>
  ((await (await c.get(`/api/v1/instances/${id}`)).json()) as { events: { step: string; message: string | null }[] }).events;

describe("support access: the API's rules", () => {
  it("validates hours, hides other workspaces' instances and refuses non-staff tunnels", { timeout: 90_000 }, async () => {
    const owner = await verifiedUser();
    const { id } = await deployedInstance(owner);
    const path = `/api/v1/instances/${id}/support-access`;
    expect(await (await owner.get(path)).json()).toEqual({ active: false, grant: null });
    for (const hours of [0, 25, 1.5, "2", -1]) {
      const res = await owner.post(path, { hours, reason: "x" });
      expect(res.status, `hours ${hours}`).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
    }
    expect((await owner.post(path, { hours: 2 })).status).toBe(400);
    expect((await owner.post(path, { hours: 2, reason: "x", extra: 1 })).status).toBe(400);

    const stranger = await verifiedUser();
    for (const res of [
      await stranger.get(path),
      await stranger.post(path, { hours: 1, reason: "x" }),
      await stranger.request("DELETE", path),
    ]) {
      expect(res.status).toBe(404);
    }
    // Owner is not staff: the tunnel route does not exist for them, even for their own instance.
    expect((await owner.post(`/api/v1/support/instances/${id}/tunnel`)).status).toBe(404);

    const staff = await verifiedUser(staffEmail);
    const none = await staff.post(`/api/v1/support/instances/${id}/tunnel`);
    expect(none.status).toBe(409); // no active grant
    // A made-up ticket: refused before any WebSocket exists.
    expect(await openTunnel("a".repeat(43))).toBe(401);

    const granted = await owner.post(path, { hours: 3, reason: REASON });
    expect(granted.status).toBe(201);
    const body = (await granted.json()) as { active: boolean; grant: { reason: string; expiresAt: string; hours: number } };
    expect(body.active).toBe(true);
    expect(body.grant.reason).toBe(REASON);
    expect(Date.parse(body.grant.expiresAt) - Date.now()).toBeGreaterThan(3 * 3_600_000 - 60_000);
    expect((await owner.post(path, { hours: 1, reason: "again" })).status).toBe(409);
    // A ticket is single use: a plain GET does not spend it; this agent is offline (503), then it is spent.
    const { ticket } = (await (await staff.post(`/api/v1/support/instances/${id}/tunnel`)).json()) as { ticket: string };
    expect((await fetch(`${t.url}${SUPPORT_TUNNEL_PATH}?ticket=${ticket}`)).status).toBe(400);
    expect(await openTunnel(ticket)).toBe(503);
    expect(await openTunnel(ticket)).toBe(401);
    const revoked = (await (await owner.request("DELETE", path)).json()) as { active: boolean; grant: { revokedAt: string | null } };
    expect(revoked.active).toBe(false);
    expect(revoked.grant.revokedAt).not.toBeNull();
    const timeline = (await steps(owner, id)).map((e) => e.step);
    expect(timeline).toEqual(expect.arrayContaining(["support_granted", "support_revoked"]));
    expect(JSON.stringify(await steps(owner, id))).not.toContain("alert(1)");
  });
});

describe.runIf(testDatabaseKind === "pglite" && existsSync(SSHD))("support access over a real sshd", () => {
  let owner: TestClient;
  let staff: TestClient;
  let instanceId: string;
  let relay: Relay;
  let sshd: Sshd;
  let agent: RunningAgent | undefined;
  const agentLines: string[] = [];
  let clockOffsetMs = 0;
  const keysFile = join(dir, "instance", "ssh", "authorized_keys");
  const configPath = join(dir, "agent.json");

  const startTheAgent = async () => {
    const { config } = await loadConfig(configPath);
    agent = startAgent(config, createLogger({ write: (l) => agentLines.push(l.trimEnd()), level: "debug" }), {
      now: () => Date.now() + clockOffsetMs,
    });
  };
  const ssh = (command: string[], env: Record<string, string> = {}): ChildProcess =>
    spawn(
      "ssh",
      [
        ...["-F", "/dev/null", "-i", clientKey, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "ConnectTimeout=20"],
        ...["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"],
        ...["-o", `ProxyCommand=${process.execPath} ${cli} ssh-proxy %h --server ${t.url}`],
        `${userInfo().username}@${instanceId}`,
        ...command,
      ],
      { env: { ...process.env, CLAWCLOUD_SESSION_COOKIE: [...staff.cookies].map(([k, v]) => `${k}=${v}`).join("; "), ...env } },
    );
  const run = (command: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = ssh(command);
      let out = "";
      let err = "";
      child.stdout?.on("data", (d) => (out += d));
      child.stderr?.on("data", (d) => (err += d));
      child.on("close", (code) => resolve({ code, out, err }));
    });
  const grant = async (hours = 1) => {
    const res = await owner.post(`/api/v1/instances/${instanceId}/support-access`, { hours, reason: REASON });
    expect(res.status).toBe(201);
    await until("the key installed", () => existsSync(keysFile));
  };

  beforeAll(async () => {
    owner = await verifiedUser();
    staff = await verifiedUser(staffEmail2);
    const deployed = await deployedInstance(owner);
    instanceId = deployed.id;
    sshd = await startSshd(join(dir, "sshd"), keysFile);
    relay = await startRelay(new URL(t.url));
    writeFileSync(
      configPath,
      JSON.stringify({
        serverUrl: relay.url,
        instanceId,
        registrationToken: deployed.token,
        stateDir: join(dir, "agent-state"),
        gatewayUrl: `http://127.0.0.1:${await freePort()}`,
        heartbeatIntervalSec: 1,
        tuning: {
          reconnectMinDelayMs: 50,
          reconnectMaxDelayMs: 200,
          welcomeTimeoutMs: 2000,
          handshakeTimeoutMs: 2000,
          supportCheckMs: 100,
          progressPollMs: 50,
        },
        support: { authorizedKeysFile: keysFile, user: userInfo().username, sshPort: sshd.port, authLog: sshd.logFile },
      }),
      { mode: 0o600 },
    );
    await startTheAgent();
    await until("the agent registered", async () => (await steps(owner, instanceId)).some((e) => e.step === "agent_registered"));
  }, 90_000);
  afterAll(async () => {
    await agent?.stop();
    sshd?.stop();
    await relay?.close();
  });

  it("grant → ssh through the tunnel → revoke closes the session and removes the key within 5 s", { timeout: 60_000 }, async () => {
    await grant();
    const line = readFileSync(keysFile, "utf8");
    expect(line).toMatch(/^expiry-time="\d{14}Z",from="127\.0\.0\.1,::1",restrict,pty ssh-ed25519 \S+ clawcloud-support-sgr_/);
    expect(line).not.toContain("alert");

    const hello = await run(["echo", "hello-from-support"]);
    expect(hello.err).toBe("");
    expect(hello.out.trim()).toBe("hello-from-support");
    expect(hello.code).toBe(0);
    await until("the login on the timeline", async () => (await steps(owner, instanceId)).some((e) => e.step === "support_login"));

    // Bulk both ways through server and agent (the relays pause a reader whose peer is behind).
    const bytes = 32 * 1024 * 1024;
    const started = Date.now();
    const down = await run(["head", "-c", String(bytes), "/dev/zero", "|", "wc", "-c"]);
    expect(down.out.trim()).toBe(String(bytes));
    const pulled = await new Promise<number>((resolve) => {
      const child = ssh(["head", "-c", String(bytes), "/dev/zero"]);
      let n = 0;
      child.stdout?.on("data", (d: Buffer) => {
        n += d.length;
      });
      child.on("close", () => resolve(n));
    });
    expect(pulled).toBe(bytes);
    const pushed = await new Promise<string>((resolve) => {
      const child = ssh(["wc", "-c"]);
      let out = "";
      child.stdout?.on("data", (d) => (out += d));
      child.on("close", () => resolve(out.trim()));
      const chunk = Buffer.alloc(64 * 1024);
      let left = bytes / chunk.length;
      const write = () => {
        while (left > 0) {
          left--;
          if (!child.stdin?.write(chunk)) return void child.stdin?.once("drain", write);
        }
        child.stdin?.end();
      };
      write();
    });
    expect(pushed).toBe(String(bytes));
    console.log(`support tunnel: 32 MiB down and 32 MiB up in ${Date.now() - started} ms (incl. 3 ssh handshakes)`);

    // A session that stays open, then "Revoke now".
    const held = ssh(["sleep", "60"]);
    const heldExit = new Promise<number | null>((r) => held.on("close", (code) => r(code)));
    await until("the held session's login", () => readFileSync(sshd.logFile, "utf8").match(/Accepted publickey/g)?.length === 5);
    const revokedAt = Date.now();
    expect((await owner.request("DELETE", `/api/v1/instances/${instanceId}/support-access`)).status).toBe(200);
    await until("the key removed", () => !existsSync(keysFile), 5_000);
    await Promise.race([heldExit, new Promise((_, no) => setTimeout(() => no(new Error("the session outlived the revoke")), 5_000))]);
    const elapsed = Date.now() - revokedAt;
    console.log(`support access: revoke → key removed and tunnel closed in ${elapsed} ms`);
    expect(elapsed).toBeLessThan(5_000);

    const after = await run(["echo", "still-here"]);
    expect(after.code).not.toBe(0);
    expect(after.out).not.toContain("still-here");
    expect(after.err).toContain("has not granted support access");
    const timeline = (await steps(owner, instanceId)).map((e) => e.step);
    expect(timeline).toEqual(expect.arrayContaining(["support_granted", "support_tunnel", "support_login", "support_revoked"]));
  });

  it("the agent removes the key at expiry by itself while cut off from the server", { timeout: 60_000 }, async () => {
    await grant(1);
    await relay.cut();
    clockOffsetMs = 2 * 3_600_000; // two hours later, by the agent's clock
    await until("the expiry while offline", () => agentLines.some((l) => l.includes('"support_expired"')), 5_000);
    expect(existsSync(keysFile)).toBe(false);
    await relay.restore();
    await until(
      "the expiry on the timeline",
      async () => (await steps(owner, instanceId)).some((e) => e.step === "support_expired"),
      15_000,
    );
    // The server still thinks the grant runs (by its clock) and re-sends it; the agent refuses it.
    expect(existsSync(keysFile)).toBe(false);
    clockOffsetMs = 0;
    expect((await owner.request("DELETE", `/api/v1/instances/${instanceId}/support-access`)).status).toBe(200);
  });

  it("an agent started after the expiry removes the key before it connects", { timeout: 60_000 }, async () => {
    await grant(1);
    await agent?.stop();
    await relay.cut(); // and the server unreachable
    expect(existsSync(keysFile)).toBe(true);
    clockOffsetMs = 2 * 3_600_000;
    agentLines.length = 0;
    await startTheAgent();
    await until("the expiry at start", () => agentLines.some((l) => l.includes('"support_expired"')), 5_000);
    expect(existsSync(keysFile)).toBe(false);
    clockOffsetMs = 0;
    await relay.restore();
    // Reported once the server is reachable again: the second grant's expiry on the timeline.
    await until(
      "the second expiry on the timeline",
      async () => (await steps(owner, instanceId)).filter((e) => e.step === "support_expired").length === 2,
      15_000,
    );
  });
});
