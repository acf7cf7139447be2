// The audit chain's hash: sha256 over a canonical serialisation of the row, prev_hash included.
// Canonical = a JSON array of the fields in a fixed order, objects with their keys sorted, the
// time as ISO-8601 in milliseconds (the column's precision), so the database's jsonb key order or
// a driver's number formatting can never change a hash.
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export interface ChainedRow {
  seq: number;
  id: string;
  workspaceId: string | null;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, unknown>;
  ip: string | null;
  createdAt: Date;
  prevHash: string;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function hashRow(r: ChainedRow): string {
  const fields = [
    r.seq,
    r.id,
    r.workspaceId,
    r.actorType,
    r.actorId,
    r.action,
    r.targetType,
    r.targetId,
    canonical(r.metadata),
    r.ip,
    r.createdAt.toISOString(),
    r.prevHash,
  ];
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}
