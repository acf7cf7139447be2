// Regions and sizes for the deploy wizard, read through the user's own credential and cached
// briefly per credential: the wizard asks often, the providers' answers change rarely, and the
// provider's rate limit is the user's to spend.
import type { Region, Size } from "@clawcloud/providers";
import type { Actor } from "../actor.ts";
import type { CredentialDeps } from "./create-credential.ts";
import { findCredential } from "./find-credential.ts";
import { withCredential } from "./use-credential.ts";

const TTL_MS = 5 * 60_000;

export class CatalogCache {
  readonly #entries = new Map<string, { at: number; value: Promise<unknown> }>();

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.#entries.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value as Promise<T>;
    const value = load();
    this.#entries.set(key, { at: Date.now(), value });
    value.catch(() => this.#entries.delete(key)); // failures are not cached
    return value;
  }
}

export async function listRegions(deps: CredentialDeps, cache: CatalogCache, actor: Actor, id: string): Promise<{ items: Region[] }> {
  await findCredential(deps.db, actor, id); // authorise before touching the cache
  return { items: await cache.get(`${id}:regions`, () => withCredential(deps, actor, id, (d) => d.listRegions())) };
}

export async function listSizes(deps: CredentialDeps, cache: CatalogCache, actor: Actor, id: string): Promise<{ items: Size[] }> {
  await findCredential(deps.db, actor, id);
  return { items: await cache.get(`${id}:sizes`, () => withCredential(deps, actor, id, (d) => d.listSizes())) };
}
