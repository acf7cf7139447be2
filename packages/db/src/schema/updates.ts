// Updates (issue 6): what the package registry says OpenClaw's newest versions are, per-instance
// update/rollback operations with their persisted step (a retried job resumes from it), version
// pins, and fleet rollouts in rings. Kept apart from app.ts so the feature's tables read together.
import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { instances } from "./app.ts";

/** The newest version per channel (stable = dist-tag `latest`, beta), as last fetched. */
export const openclawChannels = pgTable("openclaw_channels", {
  channel: text("channel").primaryKey(),
  version: text("version").notNull(),
  /** When the registry last answered with this version. */
  fetchedAt: timestamp("fetched_at", { withTimezone: true }).notNull(),
  /** The last attempt, successful or not; with lastError when the registry was unreachable. */
  checkedAt: timestamp("checked_at", { withTimezone: true }).notNull(),
  lastError: text("last_error"),
});

/** A channel's version; its release notes (that version's section of the package's CHANGELOG.md,
 * bounded) are read from the tarball the first time someone asks, then kept. */
export const openclawReleases = pgTable("openclaw_releases", {
  version: text("version").primaryKey(),
  tarball: text("tarball"),
  notes: text("notes"),
  notesFetchedAt: timestamp("notes_fetched_at", { withTimezone: true }),
  publishedAt: timestamp("published_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** An exact version an instance stays on: no rollout touches it, Update offers nothing newer. */
export const instancePins = pgTable("instance_pins", {
  instanceId: text("instance_id")
    .primaryKey()
    .references(() => instances.id, { onDelete: "cascade" }),
  version: text("version").notNull(),
  pinnedAt: timestamp("pinned_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One update or rollback of one instance. `step` is persisted before each agent command, so a job
 * retried after a worker crash resumes there; the partial unique index means at most one running
 * operation per instance.
 */
export const instanceOperations = pgTable(
  "instance_operations",
  {
    id: text("id").primaryKey(),
    instanceId: text("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(), // update | rollback
    fromVersion: text("from_version").notNull(),
    toVersion: text("to_version").notNull(),
    step: text("step").notNull(),
    status: text("status").notNull().default("running"), // running | succeeded | rolled_back | failed
    message: text("message"),
    /** The verified backup taken before the change (path on the instance). */
    backup: text("backup"),
    rolloutId: text("rollout_id"),
    requestedBy: text("requested_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("instance_operations_instance_idx").on(t.instanceId, t.createdAt),
    index("instance_operations_rollout_idx").on(t.rolloutId),
    uniqueIndex("instance_operations_one_running_idx").on(t.instanceId).where(sql`status = 'running'`),
  ],
);

/** A fleet rollout of one target version, ring by ring. */
export const rollouts = pgTable(
  "rollouts",
  {
    id: text("id").primaryKey(),
    targetVersion: text("target_version").notNull(),
    status: text("status").notNull().default("running"), // running | paused | halted | completed
    /** Cumulative share of eligible instances per ring, e.g. [1, 10, 100]. */
    rings: jsonb("rings").$type<number[]>().notNull(),
    currentRing: integer("current_ring").notNull().default(0),
    bakeSeconds: integer("bake_seconds").notNull(),
    /** Failures + rollbacks over updates in a ring above this fraction halt the rollout. */
    failureThreshold: real("failure_threshold").notNull(),
    /** Failures of the current ring that staff accepted by resuming a halted rollout. */
    failuresAccepted: integer("failures_accepted").notNull().default(0),
    /** When the current ring's updates all finished (the bake starts). */
    ringFinishedAt: timestamp("ring_finished_at", { withTimezone: true }),
    message: text("message"),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("rollouts_status_idx").on(t.status)],
);

/** The instances a rollout picked, by ring; the update itself is an instance_operations row. */
export const rolloutTargets = pgTable(
  "rollout_targets",
  {
    rolloutId: text("rollout_id")
      .notNull()
      .references(() => rollouts.id, { onDelete: "cascade" }),
    instanceId: text("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    ring: integer("ring").notNull(),
    operationId: text("operation_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("rollout_targets_pk").on(t.rolloutId, t.instanceId), index("rollout_targets_ring_idx").on(t.rolloutId, t.ring)],
);
