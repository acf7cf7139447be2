// Writes one audit row, inside the caller's transaction: the action and its record commit or roll
// back together. Appends are serialised by a transaction-scoped advisory lock, so concurrent
// writers (any replica) always chain onto the latest row and the chain never forks; the lock is
// held only until the caller's transaction ends, which keeps audited transactions short by design.
import type { AuditAction } from "@clawcloud/contracts";
import { type Db, desc, schema, sql } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { newId } from "../ids.ts";
import { GENESIS_HASH, hashRow } from "./chain.ts";

/** pg_advisory_xact_lock key of audit appends (open.ts uses 7406339001 for migrations). */
const AUDIT_LOCK = 7406339002;

export type AuditTx = Pick<Db, "execute" | "insert" | "select">;

export interface AuditEntry {
  action: AuditAction;
  workspaceId: string | null;
  actor: { type: "user"; id: string } | { type: "system"; id?: string | undefined };
  target?: { type: string; id: string } | undefined;
  metadata?: Record<string, unknown> | undefined;
  ip?: string | null | undefined;
}

// Metadata describes what happened, never with what: keys that could carry a secret or chat
// content are dropped, whatever the caller passes.
const FORBIDDEN_KEY = /secret|token|password|passwd|ciphertext|wrapped|private|cookie|authorization|chat|prompt|content/i;
const MAX_STRING = 200;

function clean(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string") return value.replace(/\p{Cc}/gu, "").slice(0, MAX_STRING);
  if (depth < 3 && Array.isArray(value)) return value.slice(0, 20).map((v) => clean(v, depth + 1));
  if (depth < 3 && value && typeof value === "object") return sanitizeMetadata(value as Record<string, unknown>, depth + 1);
  return null;
}

export function sanitizeMetadata(metadata: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (FORBIDDEN_KEY.test(k) || v === undefined) continue;
    out[k] = clean(v, depth);
  }
  return out;
}

/** The audit fields of a person's request. */
export function byActor(actor: Pick<Actor, "userId" | "workspaceId" | "ip">) {
  return { workspaceId: actor.workspaceId, actor: { type: "user" as const, id: actor.userId }, ip: actor.ip ?? null };
}

export async function recordAudit(tx: AuditTx, entry: AuditEntry): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const [last] = await tx
    .select({ seq: schema.auditLog.seq, hash: schema.auditLog.hash })
    .from(schema.auditLog)
    .orderBy(desc(schema.auditLog.seq))
    .limit(1);
  const row = {
    seq: (last?.seq ?? 0) + 1,
    id: newId("audit"),
    workspaceId: entry.workspaceId,
    actorType: entry.actor.type,
    actorId: entry.actor.id ?? null,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    metadata: sanitizeMetadata(entry.metadata ?? {}),
    ip: entry.ip ? entry.ip.slice(0, 64) : null,
    // Millisecond precision: the column's, so the hash recomputes from what is stored.
    createdAt: new Date(),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await tx.insert(schema.auditLog).values({ ...row, hash: hashRow(row) });
}
