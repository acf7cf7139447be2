// The agent's X25519 key pair. Generated on first start, kept (0600) in the state directory, and
// never sent anywhere except the public half: the browser seals the user's model key to it, so the
// server relays ciphertext it cannot open.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.ts";

export const KEY_FILE = "x25519-key.pem";

export interface AgentKeys {
  privateKey: KeyObject;
  /** The raw 32-byte public key, base64 (standard alphabet, padded): what registration sends. */
  publicKeyBase64: string;
}

export function rawPublicKeyBase64(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: "jwk" });
  if (jwk.kty !== "OKP" || jwk.crv !== "X25519" || typeof jwk.x !== "string") throw new Error("not an X25519 public key");
  return Buffer.from(jwk.x, "base64url").toString("base64");
}

/** Loads the key pair from the state directory, creating it on first start. */
export async function loadOrCreateKeys(stateDir: string): Promise<{ keys: AgentKeys; created: boolean }> {
  const path = join(stateDir, KEY_FILE);
  let pem: string | undefined;
  try {
    pem = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  if (pem !== undefined) {
    const privateKey = createPrivateKey(pem);
    if (privateKey.asymmetricKeyType !== "x25519") throw new Error(`${path} does not hold an X25519 private key`);
    return { keys: { privateKey, publicKeyBase64: rawPublicKeyBase64(createPublicKey(privateKey)) }, created: false };
  }
  const { privateKey, publicKey } = generateKeyPairSync("x25519");
  await writeFileAtomic(path, privateKey.export({ format: "pem", type: "pkcs8" }).toString(), 0o600);
  return { keys: { privateKey, publicKeyBase64: rawPublicKeyBase64(publicKey) }, created: true };
}
