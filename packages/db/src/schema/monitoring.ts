// Monitoring and alerts: heartbeat metrics as a time series, incidents (one per outage, so an
// alert goes out once), and each user's alert settings.

import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, primaryKey, real, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { instances } from "./app.ts";
import { users } from "./auth.ts";

/**
 * One point per instance per minute. Heartbeats within a minute are folded into it: the worst
 * figure (max CPU load, memory and disk used; gateway healthy only if every beat said so) and the
 * latest versions. Kept for 7 days (the metrics.retention job).
 */
export const instanceMetrics = pgTable(
  "instance_metrics",
  {
    instanceId: text("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    bucket: timestamp("bucket", { withTimezone: true }).notNull(),
    cpuLoad: real("cpu_load").notNull(),
    cpuCores: integer("cpu_cores").notNull(),
    memUsedMb: integer("mem_used_mb").notNull(),
    memTotalMb: integer("mem_total_mb").notNull(),
    diskUsedMb: integer("disk_used_mb").notNull(),
    diskTotalMb: integer("disk_total_mb").notNull(),
    gatewayHealthy: boolean("gateway_healthy").notNull(),
    samples: integer("samples").notNull(),
    openclawVersion: text("openclaw_version"),
    agentVersion: text("agent_version").notNull(),
  },
  (t) => [primaryKey({ columns: [t.instanceId, t.bucket] }), index("instance_metrics_bucket_idx").on(t.bucket)],
);

/** An outage: opens on `degraded` or `unreachable`, closes on recovery. At most one open per instance. */
export const instanceIncidents = pgTable(
  "instance_incidents",
  {
    id: text("id").primaryKey(),
    instanceId: text("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    reason: text("reason").notNull(),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("instance_incidents_open_idx").on(t.instanceId).where(sql`${t.closedAt} is null`),
    index("instance_incidents_instance_opened_idx").on(t.instanceId, t.openedAt),
  ],
);

/**
 * A user's alert channels. No row = the defaults: e-mail on, no webhook. The webhook's signing
 * secret is stored as an envelope (packages/core/src/vault), like cloud credentials.
 */
export const alertSettings = pgTable("alert_settings", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  emailEnabled: boolean("email_enabled").notNull().default(true),
  webhookUrl: text("webhook_url"),
  webhookKeyVersion: integer("webhook_key_version"),
  webhookWrappedKey: text("webhook_wrapped_key"),
  webhookCiphertext: text("webhook_ciphertext"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
