import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CREDENTIAL_FILE } from "../src/credential-store.ts";
import { EXIT_CONFIG } from "../src/exit-codes.ts";
import { KEY_FILE, loadOrCreateKeys } from "../src/keys.ts";
import { AGENT_VERSION } from "../src/version.ts";
import { createHarness, type Harness, INSTANCE_ID } from "./support/agent-harness.ts";
import { FakeServer } from "./support/fake-server.ts";
import { waitFor } from "./support/wait.ts";

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe("registration", () => {
  let server: FakeServer;
  let h: Harness;

  beforeEach(async () => {
    server = await FakeServer.start();
    h = await createHarness();
  });

  afterEach(async () => {
    await h.cleanup();
    await server.close();
    expect(server.protocolViolations).toEqual([]);
  });

  const secretsIn = (text: string) =>
    [...server.issuedCredentials, ...server.registrations.map((r) => r.token)].filter((s) => text.includes(s));

  it("trades a valid one-time token for a credential, keeps it 0600 and removes the token from the config", async () => {
    const token = server.issueToken(INSTANCE_ID);
    await h.writeConfig({ serverUrl: server.url, registrationToken: token, heartbeatIntervalSec: 0.05 });
    const agent = await h.start();
    await waitFor(() => server.heartbeats().length > 0, "first heartbeat");

    expect(server.registrations).toHaveLength(1);
    const [reg] = server.registrations;
    expect(reg?.instanceId).toBe(INSTANCE_ID);
    expect(reg?.agentVersion).toBe(AGENT_VERSION);
    const { keys } = await loadOrCreateKeys(h.stateDir);
    expect(reg?.publicKey).toBe(keys.publicKeyBase64);

    const credentialPath = join(h.stateDir, CREDENTIAL_FILE);
    expect(await mode(credentialPath)).toBe(0o600);
    expect(await mode(join(h.stateDir, KEY_FILE))).toBe(0o600);
    expect(await mode(h.stateDir)).toBe(0o700);
    const stored = JSON.parse(await readFile(credentialPath, "utf8")) as { credential: string; instanceId: string };
    expect(stored.credential).toBe(server.issuedCredentials[0]);
    expect(stored.instanceId).toBe(INSTANCE_ID);

    const configText = await readFile(h.configPath, "utf8");
    expect(configText).not.toContain(token);
    expect(JSON.parse(configText)).not.toHaveProperty("registrationToken");
    expect(JSON.parse(configText)).toMatchObject({ serverUrl: server.url, instanceId: INSTANCE_ID });
    expect(await mode(h.configPath)).toBe(0o600);

    await waitFor(() => server.events().some((e) => e.name === "agent-register"), "agent-register event");
    expect(server.events().map((e) => `${e.name} ${e.status}`)).toEqual(expect.arrayContaining(["agent-start ok", "agent-register ok"]));

    expect(await agent.stop()).toBe(0);
    expect(secretsIn(h.lines.join("\n"))).toEqual([]);
  });

  it("never registers again after a restart: it reuses the stored credential and key pair", async () => {
    await h.writeConfig({ serverUrl: server.url, registrationToken: server.issueToken(INSTANCE_ID), heartbeatIntervalSec: 0.05 });
    const first = await h.start();
    await waitFor(() => server.heartbeats(1).length > 0, "heartbeat on connection 1");
    await first.stop();
    const keyBefore = await readFile(join(h.stateDir, KEY_FILE), "utf8");

    const second = await h.start();
    await waitFor(() => server.heartbeats(2).length > 0, "heartbeat on connection 2");
    expect(server.registerAttempts).toBe(1);
    expect(await readFile(join(h.stateDir, KEY_FILE), "utf8")).toBe(keyBefore);
    expect(h.logs().filter((l) => l.msg === "keypair_loaded")).toHaveLength(1);
    expect(server.events().filter((e) => e.name === "agent-register")).toHaveLength(1);
    await second.stop();
  });

  it("stops with exit 78 and a clear message when the token is spent", async () => {
    const token = server.issueToken(INSTANCE_ID);
    await h.writeConfig({ serverUrl: server.url, registrationToken: token });
    const first = await h.start();
    await waitFor(() => server.connections === 1, "first agent connected");
    await first.stop();

    // A second agent (another state directory) presenting the same, now spent, token.
    const other = await createHarness();
    try {
      await other.writeConfig({ serverUrl: server.url, registrationToken: token });
      const agent = await other.start();
      expect(await agent.done).toBe(EXIT_CONFIG);
      const rejected = other.logs().find((l) => l.msg === "registration_rejected");
      expect(rejected).toMatchObject({ level: "error", status: 401, code: "INVALID_TOKEN" });
      expect(String(rejected?.hint)).toMatch(/single-use/);
      await expect(stat(join(other.stateDir, CREDENTIAL_FILE))).rejects.toThrow();
      expect(other.lines.join("\n")).not.toContain(token);
      expect(server.connections).toBe(1);
    } finally {
      await other.cleanup();
    }
  });

  it("retries registration on 503 with backoff, then succeeds", async () => {
    server.registerFailuresLeft = 2;
    await h.writeConfig({ serverUrl: server.url, registrationToken: server.issueToken(INSTANCE_ID) });
    const agent = await h.start();
    await waitFor(() => server.connections === 1, "agent connected");
    expect(server.registerAttempts).toBe(3);
    expect(h.logs().filter((l) => l.msg === "registration_retry")).toHaveLength(2);
    await agent.stop();
  });

  it("exits 78 when it has neither a credential nor a token", async () => {
    await h.writeConfig({ serverUrl: server.url });
    const agent = await h.start();
    expect(await agent.done).toBe(EXIT_CONFIG);
    expect(h.logs().some((l) => l.msg === "not_registered_no_token")).toBe(true);
    expect(server.registerAttempts).toBe(0);
  });
});
