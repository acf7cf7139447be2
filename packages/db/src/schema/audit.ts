// The audit log and the request counters behind Claw Cloud's own rate limits (issue 7).
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Append-only (triggers in migration `audit_log_append_only` reject UPDATE, DELETE and TRUNCATE).
// One chain over the whole table, ordered by `seq`: each row's `hash` is sha256 over its canonical
// serialisation including `prev_hash`, so changing, removing or reordering a row breaks every hash
// after it. No foreign keys: the log outlives the workspaces, users and resources it names.
export const auditLog = pgTable(
  "audit_log",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    id: text("id").notNull().unique(),
    /** Null for events of the whole installation (master key rotation, sign-in to an unknown account). */
    workspaceId: text("workspace_id"),
    /** "user" or "system". */
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    /** Never secrets or chat: recordAudit drops keys that look like either. */
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull(),
    ip: text("ip"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    index("audit_log_workspace_seq_idx").on(t.workspaceId, t.seq),
    index("audit_log_workspace_action_idx").on(t.workspaceId, t.action, t.seq),
  ],
);

// Fixed-window counters for request rate limits, in the database so every replica shares them.
export const requestCounters = pgTable("request_counters", {
  key: text("key").primaryKey(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  count: integer("count").notNull(),
});
