// Claw Cloud's own tables. Every row that belongs to a tenant carries workspace_id, and every
// query that reads it filters on it (see packages/core).
import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { workspaces } from "./auth.ts";

export const instances = pgTable(
  "instances",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    provider: text("provider").notNull(),
    state: text("state").notNull().default("pending"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("instances_workspace_created_idx").on(t.workspaceId, t.createdAt)],
);

export const cloudCredentials = pgTable(
  "cloud_credentials",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    label: text("label").notNull(),
    last4: text("last4").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("cloud_credentials_workspace_idx").on(t.workspaceId, t.createdAt)],
);
