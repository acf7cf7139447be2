import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, removeRegistrationToken } from "../src/config.ts";
import { connectUrl, registerUrl } from "../src/server-urls.ts";

const TOKEN = "t".repeat(43);
const base = { serverUrl: "https://cloud.example.com", instanceId: "ins_01jd0000000000000000000000" };

describe("config", () => {
  let dir: string;
  let path: string;
  const write = (value: unknown) => writeFile(path, JSON.stringify(value), { mode: 0o644 });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "clawcloud-agent-config-"));
    path = join(dir, "config.json");
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("fills the defaults", async () => {
    await write(base);
    const { config, unknownKeys } = await loadConfig(path);
    expect(config).toMatchObject({
      stateDir: "/var/lib/clawcloud-agent",
      gatewayUrl: "http://127.0.0.1:18789",
      allowInsecureServerUrl: false,
      configPath: path,
      tuning: { reconnectMinDelayMs: 1000, reconnectMaxDelayMs: 60_000, keepaliveIntervalMs: 25_000 },
    });
    expect(config.heartbeatIntervalSec).toBeUndefined();
    expect(config.bootstrapProgressFile).toBeUndefined();
    expect(unknownKeys).toEqual([]);
  });

  it("reads the nested shape the bootstrap writes", async () => {
    await write({
      version: 1,
      ...base,
      registrationToken: TOKEN,
      gateway: { url: "http://127.0.0.1:18790", token: "g".repeat(64) },
      stateDir: "/var/lib/clawcloud-agent",
      openclaw: { home: "/home/openclaw", bin: "/home/openclaw/.npm-global/bin/openclaw", version: "2026.9.6", supervisor: "systemd" },
    });
    const { config, unknownKeys } = await loadConfig(path);
    expect(config).toMatchObject({
      gatewayUrl: "http://127.0.0.1:18790/",
      gatewayToken: "g".repeat(64),
      openclawBin: "/home/openclaw/.npm-global/bin/openclaw",
      registrationToken: TOKEN,
    });
    expect(unknownKeys).toEqual([]);
  });

  it("reports unknown keys without failing", async () => {
    await write({ ...base, futureOption: 1 });
    expect((await loadConfig(path)).unknownKeys).toEqual(["futureOption"]);
  });

  it("refuses plain http to a remote server unless allowed, but accepts loopback", async () => {
    await write({ ...base, serverUrl: "http://cloud.example.com" });
    await expect(loadConfig(path)).rejects.toThrow(/serverUrl: must use https/);
    await write({ ...base, serverUrl: "http://cloud.example.com", allowInsecureServerUrl: true });
    await expect(loadConfig(path)).resolves.toBeTruthy();
    await write({ ...base, serverUrl: "http://127.0.0.1:3000" });
    await expect(loadConfig(path)).resolves.toBeTruthy();
    await write({ ...base, serverUrl: "ftp://cloud.example.com" });
    await expect(loadConfig(path)).rejects.toThrow(ConfigError);
  });

  it("names the bad fields without echoing their values", async () => {
    const secret = "s3cr3t-".repeat(3);
    await write({ ...base, instanceId: "nope", registrationToken: secret, stateDir: "relative/dir" });
    const err = (await loadConfig(path).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/instanceId/);
    expect(err.message).toMatch(/registrationToken/);
    expect(err.message).toMatch(/stateDir: must be an absolute path/);
    expect(err.message).not.toContain(secret);
  });

  it("explains a missing or broken file", async () => {
    await expect(loadConfig(join(dir, "missing.json"))).rejects.toThrow(/ENOENT/);
    await writeFile(path, "{not json");
    await expect(loadConfig(path)).rejects.toThrow(/invalid JSON/);
  });

  it("removes the spent token and keeps the rest, 0600", async () => {
    await write({ ...base, registrationToken: TOKEN, gatewayUrl: "http://127.0.0.1:1" });
    expect(await removeRegistrationToken(path)).toBe(true);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ ...base, gatewayUrl: "http://127.0.0.1:1" });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await removeRegistrationToken(join(dir, "missing.json"))).toBe(false);
  });

  it("builds the endpoint URLs under the server URL, keeping a path prefix", () => {
    expect(registerUrl("https://cloud.example.com")).toBe("https://cloud.example.com/api/agent/v1/register");
    expect(connectUrl("https://cloud.example.com/")).toBe("wss://cloud.example.com/api/agent/v1/connect");
    expect(connectUrl("http://127.0.0.1:3000/claw")).toBe("ws://127.0.0.1:3000/claw/api/agent/v1/connect");
    expect(registerUrl("https://cloud.example.com/claw/?x=1")).toBe("https://cloud.example.com/claw/api/agent/v1/register");
  });
});
