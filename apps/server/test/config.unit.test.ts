import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

describe("loadConfig", () => {
  it("has embedded defaults that need nothing", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: "127.0.0.1", databaseUrl: undefined, role: "all", publicUrl: "http://localhost:3000" });
    expect(c.dataDir).toMatch(/\.clawcloud$/);
  });

  it("names the variable that is wrong", () => {
    expect(() => loadConfig({ PORT: "99999" })).toThrow(/PORT:/);
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must be a postgres:\/\/ connection string/);
    expect(() => loadConfig({ SMTP_URL: "http://mail" })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ CLAWCLOUD_ROLE: "boss" })).toThrow(ConfigError);
    expect(() => loadConfig({ CLAWCLOUD_AGENT_BUNDLE: "/nonexistent/clawcloud-agent.js" })).toThrow(/CLAWCLOUD_AGENT_BUNDLE: no such file/);
    expect(loadConfig({ CLAWCLOUD_AGENT_BUNDLE: import.meta.filename }).agentBundlePath).toBe(import.meta.filename);
  });

  it("demands real secrets in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production", CLAWCLOUD_PUBLIC_URL: "https://cc.example" })).toThrow(
      /CLAWCLOUD_AUTH_SECRET must be set/,
    );
    const secrets = { CLAWCLOUD_AUTH_SECRET: "x".repeat(40), CLAWCLOUD_MASTER_KEYS: `1:${Buffer.alloc(32, 7).toString("base64")}` };
    expect(() => loadConfig({ NODE_ENV: "production", CLAWCLOUD_AUTH_SECRET: "x".repeat(40) })).toThrow(
      /CLAWCLOUD_MASTER_KEYS must be set/,
    );
    expect(() => loadConfig({ NODE_ENV: "production", ...secrets })).toThrow(/CLAWCLOUD_PUBLIC_URL must be set/);
    expect(loadConfig({ NODE_ENV: "production", ...secrets, CLAWCLOUD_PUBLIC_URL: "https://cc.example/" }).publicUrl).toBe(
      "https://cc.example",
    );
  });

  it("reads provider API overrides", () => {
    const c = loadConfig({ CLAWCLOUD_DIGITALOCEAN_API_URL: "http://127.0.0.1:9999" });
    expect(c.providerEndpoints).toEqual({ digitalocean: "http://127.0.0.1:9999" });
    expect(() => loadConfig({ CLAWCLOUD_HETZNER_API_URL: "ftp://x" })).toThrow(/CLAWCLOUD_HETZNER_API_URL/);
  });

  it("takes the role from --role, which wins over the environment", () => {
    expect(loadConfig({ CLAWCLOUD_ROLE: "api" }, ["--role", "worker"]).role).toBe("worker");
    expect(loadConfig({}, ["--role=api"]).role).toBe("api");
    expect(() => loadConfig({}, ["--role"])).toThrow(/Invalid --role/);
  });

  it("reads the mirrors, with a mirror's own Node.js checksum only alongside its URL", () => {
    const sha = "a".repeat(64);
    const c = loadConfig({
      CLAWCLOUD_NODE_MIRROR_URL: "http://mirror.internal/dist",
      CLAWCLOUD_NODE_TARBALL_SHA256: sha,
      CLAWCLOUD_NPM_REGISTRY_URL: "http://npm.internal/",
    });
    expect(c.mirrors).toEqual({ nodeDistUrl: "http://mirror.internal/dist", nodeTarballSha256: sha, npmRegistry: "http://npm.internal/" });
    expect(() => loadConfig({ CLAWCLOUD_NODE_TARBALL_SHA256: sha })).toThrow(/set CLAWCLOUD_NODE_MIRROR_URL too/);
    expect(() => loadConfig({ CLAWCLOUD_NODE_MIRROR_URL: "http://m/dist", CLAWCLOUD_NODE_TARBALL_SHA256: "ABC" })).toThrow(
      /CLAWCLOUD_NODE_TARBALL_SHA256: must be the sha256/,
    );
  });

  it("treats an empty DATABASE_URL as unset", () => {
    expect(loadConfig({ DATABASE_URL: "" }).databaseUrl).toBeUndefined();
  });

  it("checks the support SSH key and keeps only its type and key material", () => {
    const blob = Buffer.concat([
      Buffer.from([0, 0, 0, 11]),
      Buffer.from("ssh-ed25519"),
      Buffer.from([0, 0, 0, 32]),
      Buffer.alloc(32, 7),
    ]).toString("base64");
    const key = loadConfig({ CLAWCLOUD_SUPPORT_SSH_PUBLIC_KEY: `ssh-ed25519 ${blob} support@example.com` }).supportPublicKey;
    expect(key).toBe(`ssh-ed25519 ${blob}`);
    expect(loadConfig({}).supportPublicKey).toBeUndefined();
    for (const bad of [
      "not a key",
      `ssh-rsa ${blob}`, // the blob names another type
      `command="sh" ssh-ed25519 ${blob}`,
      `ssh-ed25519 ${blob}\nssh-ed25519 ${blob}`,
    ]) {
      expect(() => loadConfig({ CLAWCLOUD_SUPPORT_SSH_PUBLIC_KEY: bad }), bad).toThrow(/CLAWCLOUD_SUPPORT_SSH_PUBLIC_KEY/);
    }
  });
});
