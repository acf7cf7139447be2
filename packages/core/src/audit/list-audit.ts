// The workspace's audit log, newest first, with filters and a keyset cursor (the last row's seq).
import { type AuditEntry, type AuditList, type AuditQuery, auditQuerySchema } from "@clawcloud/contracts";
import { and, type Db, desc, eq, gt, lt, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { parseInput } from "../validate.ts";

const DEFAULT_LIMIT = 50;

type Row = typeof schema.auditLog.$inferSelect & { email: string | null };

function view(r: Row): AuditEntry {
  return {
    id: r.id,
    seq: r.seq,
    action: r.action as AuditEntry["action"],
    actor: { type: r.actorType === "system" ? "system" : "user", id: r.actorId, email: r.email },
    target: r.targetType && r.targetId ? { type: r.targetType, id: r.targetId } : null,
    metadata: r.metadata,
    ip: r.ip,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function listAudit(db: Db, actor: Actor, input: unknown): Promise<AuditList> {
  const q: AuditQuery = parseInput(auditQuerySchema, input);
  const a = schema.auditLog;
  const limit = q.limit ?? DEFAULT_LIMIT;
  const where = and(
    eq(a.workspaceId, actor.workspaceId),
    q.action ? eq(a.action, q.action) : undefined,
    q.actor === "system" ? eq(a.actorType, "system") : q.actor ? eq(a.actorId, q.actor) : undefined,
    q.from ? gt(a.createdAt, new Date(new Date(q.from).getTime() - 1)) : undefined,
    q.to ? lt(a.createdAt, new Date(q.to)) : undefined,
    q.cursor ? lt(a.seq, Number(q.cursor)) : undefined,
  );
  const rows = await db
    .select({ ...getColumns(), email: schema.users.email })
    .from(a)
    .leftJoin(schema.users, eq(schema.users.id, a.actorId))
    .where(where)
    .orderBy(desc(a.seq))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(view), nextCursor: rows.length > limit && last ? String(last.seq) : null };
}

function getColumns() {
  const { seq, id, workspaceId, actorType, actorId, action, targetType, targetId, metadata, ip, createdAt, prevHash, hash } =
    schema.auditLog;
  return { seq, id, workspaceId, actorType, actorId, action, targetType, targetId, metadata, ip, createdAt, prevHash, hash };
}
