// Envelope encryption of one secret: a fresh 256-bit data key encrypts it (AES-256-GCM), and the
// master key wraps the data key. AAD binds both to the row (workspace + credential id), so a
// ciphertext copied into another row does not decrypt.
import { randomBytes } from "node:crypto";
import { open, seal } from "./aes-gcm.ts";
import type { KeyProvider } from "./key-provider.ts";

export interface Envelope {
  keyVersion: number;
  wrappedKey: string;
  ciphertext: string;
}

export const credentialAad = (workspaceId: string, credentialId: string) =>
  Buffer.from(`clawcloud:credential:v1:${workspaceId}:${credentialId}`, "utf8");

export async function encryptSecret(keys: KeyProvider, plaintext: string, aad: Buffer): Promise<Envelope> {
  const dataKey = randomBytes(32);
  try {
    const ciphertext = seal(dataKey, Buffer.from(plaintext, "utf8"), aad).toString("base64");
    const { keyVersion, wrapped } = await keys.wrap(dataKey, aad);
    return { keyVersion, wrappedKey: wrapped, ciphertext };
  } finally {
    dataKey.fill(0);
  }
}

export async function decryptSecret(keys: KeyProvider, env: Envelope, aad: Buffer): Promise<string> {
  const dataKey = await keys.unwrap({ keyVersion: env.keyVersion, wrapped: env.wrappedKey }, aad);
  try {
    return open(dataKey, Buffer.from(env.ciphertext, "base64"), aad).toString("utf8");
  } finally {
    dataKey.fill(0);
  }
}

/** Re-wraps the data key under the current master key; the ciphertext is untouched. */
export async function rewrap(keys: KeyProvider, env: Envelope, aad: Buffer): Promise<Envelope> {
  if (env.keyVersion === keys.currentVersion()) return env;
  const dataKey = await keys.unwrap({ keyVersion: env.keyVersion, wrapped: env.wrappedKey }, aad);
  try {
    const { keyVersion, wrapped } = await keys.wrap(dataKey, aad);
    return { keyVersion, wrappedKey: wrapped, ciphertext: env.ciphertext };
  } finally {
    dataKey.fill(0);
  }
}
