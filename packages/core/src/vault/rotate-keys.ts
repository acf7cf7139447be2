// Re-wraps every credential's data key under the current master key version. Safe to run again
// (rows already current are skipped) and to interrupt (each row is updated on its own, guarded by
// the version it was read with). Rows that cannot be unwrapped are reported, not touched.
import { and, asc, count, type Db, eq, gt, ne, schema } from "@clawcloud/db";
import { credentialAad, rewrap } from "./envelope.ts";
import type { KeyProvider } from "./key-provider.ts";

export interface RotationReport {
  currentVersion: number;
  rewrapped: number;
  failed: { id: string; keyVersion: number }[];
  /** Rows per key version after the run. */
  byVersion: Record<number, number>;
}

export async function countByKeyVersion(db: Db): Promise<Record<number, number>> {
  const rows = await db
    .select({ v: schema.cloudCredentials.keyVersion, n: count() })
    .from(schema.cloudCredentials)
    .groupBy(schema.cloudCredentials.keyVersion);
  return Object.fromEntries(rows.map((r) => [r.v, Number(r.n)]));
}

export async function rotateKeys(db: Db, keys: KeyProvider, onProgress?: (done: number) => void): Promise<RotationReport> {
  const current = keys.currentVersion();
  const c = schema.cloudCredentials;
  let rewrapped = 0;
  const failed: RotationReport["failed"] = [];
  let after = "";
  for (;;) {
    const batch = await db
      .select({ id: c.id, workspaceId: c.workspaceId, keyVersion: c.keyVersion, wrappedKey: c.wrappedKey, ciphertext: c.ciphertext })
      .from(c)
      .where(and(ne(c.keyVersion, current), gt(c.id, after)))
      .orderBy(asc(c.id))
      .limit(200);
    if (batch.length === 0) break;
    for (const row of batch) {
      after = row.id;
      try {
        const next = await rewrap(keys, row, credentialAad(row.workspaceId, row.id));
        await db
          .update(c)
          .set({ keyVersion: next.keyVersion, wrappedKey: next.wrappedKey })
          .where(and(eq(c.id, row.id), eq(c.keyVersion, row.keyVersion)));
        rewrapped++;
      } catch {
        failed.push({ id: row.id, keyVersion: row.keyVersion });
      }
    }
    onProgress?.(rewrapped);
  }
  return { currentVersion: current, rewrapped, failed, byVersion: await countByKeyVersion(db) };
}
