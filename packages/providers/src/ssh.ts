// SSH public keys: the throwaway key every driver attaches when the user gave none, and checks on
// a key the user did give.
//
// Why a throwaway key at all: DigitalOcean e-mails a root password when a droplet is created
// without a key, Hetzner returns one in the create response, and Vultr issues a default password
// whatever we do. A key whose private half never existed outside this function makes the provider
// skip the password (DigitalOcean, Hetzner) and lets nobody in: Claw Cloud keeps no way into the
// machine (DESIGN §3). cloud-init also disables password login for Vultr's default password.

import { createHash, generateKeyPairSync } from "node:crypto";

export interface PublicKeyInfo {
  /** The OpenSSH line, "type base64 [comment]". */
  line: string;
  type: string;
  /** The decoded key blob. */
  blob: Buffer;
  /** MD5 fingerprint as DigitalOcean and Hetzner print it: "aa:bb:…". */
  md5: string;
}

/**
 * A fresh ed25519 public key in OpenSSH format. The private key is generated in memory, never
 * exported, and dropped when this function returns: nobody, Claw Cloud included, can log in with it.
 */
export function throwawayPublicKey(comment: string): PublicKeyInfo {
  const { publicKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  if (!jwk.x) throw new Error("ed25519 key export gave no public point");
  const raw = Buffer.from(jwk.x, "base64url");
  const blob = Buffer.concat([sshString(Buffer.from("ssh-ed25519")), sshString(raw)]);
  const safeComment = comment.replace(/\s+/g, "-");
  return describe(`ssh-ed25519 ${blob.toString("base64")} ${safeComment}`, "ssh-ed25519", blob);
}

const ACCEPTED_TYPES = new Set([
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
]);

/** Parses an OpenSSH public key line; returns a reason a person can act on when it is not one. */
export function parsePublicKey(input: string): PublicKeyInfo | { error: string } {
  const line = input.trim();
  if (/PRIVATE KEY/.test(line)) {
    return {
      error:
        "That is a private key. Paste the public key instead (the .pub file, starting with ssh-ed25519 or ssh-rsa), and keep the private key to yourself.",
    };
  }
  if (line.includes("\n")) return { error: "The SSH public key must be a single line." };
  const [type, b64, ...rest] = line.split(/\s+/);
  if (!type || !b64 || !ACCEPTED_TYPES.has(type)) {
    return {
      error: "That is not an SSH public key in OpenSSH format (expected a line starting with ssh-ed25519, ssh-rsa or ecdsa-sha2-…).",
    };
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return { error: "The SSH public key's base64 part is damaged." };
  const blob = Buffer.from(b64, "base64");
  const inner = readSshString(blob, 0);
  if (!inner || inner.toString() !== type) return { error: "The SSH public key's type does not match its contents." };
  if (type === "ssh-rsa" && blob.length < 270) return { error: "RSA keys shorter than 2048 bits are not accepted; use ssh-ed25519." };
  const comment = rest.join(" ");
  return describe(comment ? `${type} ${b64} ${comment}` : `${type} ${b64}`, type, blob);
}

function describe(line: string, type: string, blob: Buffer): PublicKeyInfo {
  const md5 = (createHash("md5").update(blob).digest("hex").match(/../g) ?? []).join(":");
  return { line, type, blob, md5 };
}

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

function readSshString(b: Buffer, offset: number): Buffer | undefined {
  if (b.length < offset + 4) return undefined;
  const len = b.readUInt32BE(offset);
  if (b.length < offset + 4 + len) return undefined;
  return b.subarray(offset + 4, offset + 4 + len);
}
