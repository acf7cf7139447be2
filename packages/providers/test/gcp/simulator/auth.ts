// Service accounts and their JSON keys, and the check Google's front end makes of a self-signed
// JWT: RS256 under the key named by `kid`, issued by the account, not expired. A deleted key is
// known but refused (401), as Google refuses a key that was deleted in the console.

import { createPublicKey, generateKeyPairSync, randomBytes, verify } from "node:crypto";
import type { TokenInfo } from "../../simulator/core.ts";

export interface ServiceAccount {
  label: "valid" | "revoked" | "limited";
  key: {
    type: "service_account";
    project_id: string;
    private_key_id: string;
    private_key: string;
    client_email: string;
    client_id: string;
    token_uri: string;
  };
  publicKeyPem: string;
  grants: TokenInfo["grants"];
  deleted?: boolean;
}

export function makeServiceAccount(
  label: ServiceAccount["label"],
  project: string,
  grants: TokenInfo["grants"],
  deleted = false,
): ServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    label,
    key: {
      type: "service_account",
      project_id: project,
      private_key_id: randomBytes(20).toString("hex"),
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      client_email: `clawcloud-${label}@${project}.iam.gserviceaccount.com`,
      client_id: String(100000000000000000000n + BigInt(label.length)),
      token_uri: "https://oauth2.googleapis.com/token",
    },
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    grants,
    deleted,
  };
}

export interface JwtCheck {
  account: ServiceAccount;
  audience: string;
}

/** The account a bearer JWT was signed by, when the signature and claims hold; else undefined. */
export function checkJwt(accounts: readonly ServiceAccount[], bearer: string, nowMs: number): JwtCheck | undefined {
  const parts = bearer.split(".");
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: string; kid?: string };
  let payload: { iss?: string; sub?: string; aud?: string; exp?: number; iat?: number };
  try {
    header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
    payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (header.alg !== "RS256") return undefined;
  const account = accounts.find((a) => a.key.private_key_id === header.kid && a.key.client_email === payload.iss);
  if (!account || payload.sub !== payload.iss) return undefined;
  const ok = verify("RSA-SHA256", Buffer.from(`${h}.${p}`), createPublicKey(account.publicKeyPem), Buffer.from(s, "base64url"));
  if (!ok) return undefined;
  const now = nowMs / 1000;
  if (typeof payload.exp !== "number" || payload.exp < now || (payload.iat ?? 0) > now + 300) return undefined;
  return { account, audience: String(payload.aud ?? "") };
}
