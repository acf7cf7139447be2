// Support access grants: the owner lets Claw Cloud's support reach one instance over SSH, through
// the agent's outbound connection, until `expires_at` (or until revoked). The agent enforces the
// expiry itself; these rows are the record and what the server re-sends on reconnect.
import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { instances } from "./app.ts";
import { workspaces } from "./auth.ts";

export const supportGrants = pgTable(
  "support_grants",
  {
    id: text("id").primaryKey(),
    instanceId: text("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** The user who granted it (kept when the user goes: the record must stay readable). */
    grantedBy: text("granted_by"),
    /** User input: stored and shown as text, never interpreted. */
    reason: text("reason").notNull(),
    hours: integer("hours").notNull(),
    /** The support public key installed, as sent to the agent (OpenSSH one-line format). */
    publicKey: text("public_key").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: text("revoked_by"),
    /** When the agent reported that it removed the key at expiry (timeline once). */
    expiryRecordedAt: timestamp("expiry_recorded_at", { withTimezone: true }),
  },
  (t) => [
    index("support_grants_instance_created_idx").on(t.instanceId, t.createdAt),
    index("support_grants_workspace_idx").on(t.workspaceId),
  ],
);
