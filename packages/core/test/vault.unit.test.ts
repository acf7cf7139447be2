import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { credentialAad, decryptSecret, encryptSecret, rewrap } from "../src/vault/envelope.ts";
import { LocalKeyProvider, MasterKeyError, parseMasterKeys } from "../src/vault/local-key-provider.ts";

const keySpec = (...versions: number[]) => versions.map((v) => `${v}:${randomBytes(32).toString("base64")}`).join(",");
const aad = credentialAad("wks_a", "crd_1");

function flipBit(b64: string, byte: number, bit = 0): string {
  const buf = Buffer.from(b64, "base64");
  buf[byte % buf.length] = (buf[byte % buf.length] as number) ^ (1 << bit);
  return buf.toString("base64");
}

describe("envelope encryption", () => {
  const keys = LocalKeyProvider.fromEnv(keySpec(1));

  it("round-trips a secret, with a fresh data key each time", async () => {
    const a = await encryptSecret(keys, "dop_v1_secret-token-value", aad);
    const b = await encryptSecret(keys, "dop_v1_secret-token-value", aad);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.wrappedKey).not.toBe(b.wrappedKey);
    expect(await decryptSecret(keys, a, aad)).toBe("dop_v1_secret-token-value");
    expect(a.ciphertext).not.toContain(Buffer.from("dop_v1").toString("base64").slice(0, 6));
  });

  it("rejects any flipped bit in the ciphertext or the wrapped key", async () => {
    const env = await encryptSecret(keys, "secret", aad);
    const n = Buffer.from(env.ciphertext, "base64").length;
    for (let byte = 0; byte < n; byte++) {
      await expect(decryptSecret(keys, { ...env, ciphertext: flipBit(env.ciphertext, byte, byte % 8) }, aad)).rejects.toThrow();
    }
    for (let byte = 0; byte < Buffer.from(env.wrappedKey, "base64").length; byte += 3) {
      await expect(decryptSecret(keys, { ...env, wrappedKey: flipBit(env.wrappedKey, byte, 7) }, aad)).rejects.toThrow();
    }
  });

  it("binds the ciphertext to its workspace and row", async () => {
    const env = await encryptSecret(keys, "secret", aad);
    await expect(decryptSecret(keys, env, credentialAad("wks_b", "crd_1"))).rejects.toThrow();
    await expect(decryptSecret(keys, env, credentialAad("wks_a", "crd_2"))).rejects.toThrow();
  });

  it("fails on an unknown master key version", async () => {
    const env = await encryptSecret(keys, "secret", aad);
    await expect(decryptSecret(keys, { ...env, keyVersion: 9 }, aad)).rejects.toThrow(MasterKeyError);
  });
});

describe("rotation", () => {
  it("re-wraps under the newest version; the old version is then not needed", async () => {
    const v1 = keySpec(1);
    const v2 = keySpec(2);
    const env = await encryptSecret(LocalKeyProvider.fromEnv(v1), "secret", aad);
    const both = LocalKeyProvider.fromEnv(`${v1},${v2}`);
    const next = await rewrap(both, env, aad);
    expect(next.keyVersion).toBe(2);
    expect(next.ciphertext).toBe(env.ciphertext);
    expect(await rewrap(both, next, aad)).toBe(next); // already current: untouched
    expect(await decryptSecret(LocalKeyProvider.fromEnv(v2), next, aad)).toBe("secret");
    await expect(decryptSecret(LocalKeyProvider.fromEnv(v2), env, aad)).rejects.toThrow(MasterKeyError);
  });

  it("keeps a key file with 0600 permissions and adds versions to it", () => {
    const dir = mkdtempSync(join(tmpdir(), "cc-keys-"));
    const { provider, created } = LocalKeyProvider.fromDataDir(dir);
    expect(created).toBe(true);
    expect(statSync(join(dir, "master-keys")).mode & 0o777).toBe(0o600);
    expect(provider.addVersion()).toBe(2);
    const again = LocalKeyProvider.fromDataDir(dir);
    expect(again.created).toBe(false);
    expect(again.provider.versions()).toEqual([1, 2]);
    expect(readFileSync(join(dir, "master-keys"), "utf8").trim().split("\n")).toHaveLength(2);
  });
});

describe("parseMasterKeys", () => {
  it("refuses malformed or short keys with a clear message", () => {
    expect(() => parseMasterKeys("nonsense")).toThrow(/must look like/);
    expect(() => parseMasterKeys(`1:${randomBytes(16).toString("base64")}`)).toThrow(/32 bytes/);
    expect(parseMasterKeys(keySpec(1, 3)).size).toBe(2);
  });
});

describe("the canary scanner's encodings", () => {
  it("finds a secret base64-encoded at any offset inside a longer value", async () => {
    const { encodings } = await import("../../../test-support/dump.ts");
    const secret = "canary-0123456789abcdef";
    for (const prefix of ["", "a", "ab", "abc"]) {
      const blob = Buffer.from(`${prefix}{"token":"${secret}"}`).toString("base64");
      expect(encodings(secret).some((f) => blob.includes(f))).toBe(true);
    }
    expect(encodings(secret).some((f) => Buffer.from("unrelated").toString("base64").includes(f))).toBe(false);
  });
});
