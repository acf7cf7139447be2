// One-time registration tokens: 256 random bits, given to the server in its user-data, stored
// here only as a SHA-256 hash, valid for 30 minutes, and spent by the first registration.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const REGISTRATION_TTL_MS = 30 * 60_000;

export function newSecretToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * The instance's registration token, derived from a server key so every create attempt renders
 * the same user-data: a retried create that the provider deduplicates (AWS ClientToken) or that a
 * later attempt finds by tag carries the token the instance expects.
 */
export function registrationTokenFor(key: string, instanceId: string): string {
  return createHmac("sha256", key).update(`clawcloud:registration:v1:${instanceId}`).digest("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("base64url");
}

export function tokenMatches(token: string, hash: string | null): boolean {
  if (!hash) return false;
  const a = Buffer.from(hashToken(token));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}
