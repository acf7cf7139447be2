// Master keys held by this process: from CLAWCLOUD_MASTER_KEYS ("1:<base64>,2:<base64>", the
// highest version current) or, in the embedded default, a key file generated in the data
// directory (0600). Rotation adds a version; old versions stay until no row uses them.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { open, seal } from "./aes-gcm.ts";
import type { KeyProvider, WrappedKey } from "./key-provider.ts";

export class MasterKeyError extends Error {}

type KeyRing = Map<number, Buffer>;

export function parseMasterKeys(spec: string): KeyRing {
  const ring: KeyRing = new Map();
  for (const part of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(\d+):([A-Za-z0-9+/_-]+={0,2})$/.exec(part);
    if (!m) throw new MasterKeyError('CLAWCLOUD_MASTER_KEYS must look like "1:<base64 of 32 bytes>,2:<…>"');
    const key = Buffer.from(m[2] as string, "base64");
    if (key.length !== 32)
      throw new MasterKeyError(`CLAWCLOUD_MASTER_KEYS version ${m[1]}: a key must be 32 bytes (base64 of 32 random bytes)`);
    ring.set(Number(m[1]), key);
  }
  if (ring.size === 0) throw new MasterKeyError("CLAWCLOUD_MASTER_KEYS is empty");
  return ring;
}

export class LocalKeyProvider implements KeyProvider {
  readonly kind = "local";
  readonly #ring: KeyRing;
  readonly #file: string | undefined;

  private constructor(ring: KeyRing, file: string | undefined) {
    this.#ring = ring;
    this.#file = file;
  }

  static fromEnv(spec: string): LocalKeyProvider {
    return new LocalKeyProvider(parseMasterKeys(spec), undefined);
  }

  /** Loads the data directory's key file, creating it with a first key when absent. */
  static fromDataDir(dataDir: string): { provider: LocalKeyProvider; created: boolean } {
    const file = join(dataDir, "master-keys");
    const created = !existsSync(file);
    if (created) writeFileSync(file, `1:${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(file, 0o600);
    return { provider: new LocalKeyProvider(parseMasterKeys(readFileSync(file, "utf8").replace(/\n/g, ",")), file), created };
  }

  currentVersion(): number {
    return Math.max(...this.#ring.keys());
  }

  versions(): number[] {
    return [...this.#ring.keys()].sort((a, b) => a - b);
  }

  async wrap(dataKey: Buffer, aad: Buffer): Promise<WrappedKey> {
    const keyVersion = this.currentVersion();
    return { keyVersion, wrapped: seal(this.#key(keyVersion), dataKey, aad).toString("base64") };
  }

  async unwrap(key: WrappedKey, aad: Buffer): Promise<Buffer> {
    return open(this.#key(key.keyVersion), Buffer.from(key.wrapped, "base64"), aad);
  }

  /** Adds a new current version (key file only; with CLAWCLOUD_MASTER_KEYS the operator adds it). */
  addVersion(): number {
    if (!this.#file) throw new MasterKeyError("Master keys come from CLAWCLOUD_MASTER_KEYS: add a new version there, then rotate.");
    const version = this.currentVersion() + 1;
    const key = randomBytes(32);
    const lines = [...this.#ring].map(([v, k]) => `${v}:${k.toString("base64")}`);
    lines.push(`${version}:${key.toString("base64")}`);
    const tmp = `${this.#file}.tmp`;
    writeFileSync(tmp, `${lines.join("\n")}\n`, { mode: 0o600 });
    renameSync(tmp, this.#file);
    this.#ring.set(version, key);
    return version;
  }

  #key(version: number): Buffer {
    const key = this.#ring.get(version);
    if (!key) throw new MasterKeyError(`master key version ${version} is not available`);
    return key;
  }
}
