import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerRequestSchema } from "@clawcloud/contracts";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KEY_FILE, loadOrCreateKeys } from "../src/keys.ts";

describe("X25519 key pair", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "clawcloud-agent-keys-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("is created once, kept 0600, and the same after a restart", async () => {
    const first = await loadOrCreateKeys(dir);
    expect(first.created).toBe(true);
    expect((await stat(join(dir, KEY_FILE))).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateKeys(dir);
    expect(second.created).toBe(false);
    expect(second.keys.publicKeyBase64).toBe(first.keys.publicKeyBase64);
  });

  it("publishes the raw 32-byte public key in the form registration accepts", async () => {
    const { keys } = await loadOrCreateKeys(dir);
    expect(Buffer.from(keys.publicKeyBase64, "base64")).toHaveLength(32);
    expect(registerRequestSchema.shape.publicKey.safeParse(keys.publicKeyBase64).success).toBe(true);
    // A sender who only has the raw public key can agree on a secret with the agent.
    const peer = generateKeyPairSync("x25519");
    const agentPublic = createPublicKey({
      key: { kty: "OKP", crv: "X25519", x: Buffer.from(keys.publicKeyBase64, "base64").toString("base64url") },
      format: "jwk",
    });
    const fromPeer = diffieHellman({ privateKey: peer.privateKey, publicKey: agentPublic });
    const fromAgent = diffieHellman({ privateKey: keys.privateKey, publicKey: peer.publicKey });
    expect(fromPeer.equals(fromAgent)).toBe(true);
  });

  it("refuses a key file that is not X25519", async () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    await writeFile(join(dir, KEY_FILE), privateKey.export({ format: "pem", type: "pkcs8" }));
    await expect(loadOrCreateKeys(dir)).rejects.toThrow(/X25519/);
    expect(createPrivateKey(await readFile(join(dir, KEY_FILE), "utf8")).asymmetricKeyType).toBe("ed25519"); // left alone
  });
});
