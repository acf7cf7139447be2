// Resolving a session costs a signature check and a membership query (~1 ms); a dashboard asks
// several times a second. Resolved actors are kept briefly, keyed by a hash of the cookie header
// (the token itself is never a key). Signing out or changing the account drops the entries at
// once; a session revoked from another device ends within the TTL on every replica.
import { createHash } from "node:crypto";
import type { Actor } from "../actor.ts";

export class ActorCache {
  readonly #entries = new Map<string, { actor: Actor; expires: number }>();
  readonly #ttlMs: number;
  readonly #max: number;

  constructor(opts: { ttlMs: number; max: number }) {
    this.#ttlMs = opts.ttlMs;
    this.#max = opts.max;
  }

  static key(headers: Headers): string | undefined {
    const cookie = headers.get("cookie");
    return cookie ? createHash("sha256").update(cookie).digest("base64url") : undefined;
  }

  get(key: string | undefined, now = Date.now()): Actor | undefined {
    if (!key) return undefined;
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    if (hit.expires <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return hit.actor;
  }

  set(key: string | undefined, actor: Actor, now = Date.now()): void {
    if (!key) return;
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { actor, expires: now + this.#ttlMs });
  }

  forget(key: string | undefined): void {
    if (key) this.#entries.delete(key);
  }

  forgetUser(userId: string): void {
    for (const [k, v] of this.#entries) if (v.actor.userId === userId) this.#entries.delete(k);
  }
}
