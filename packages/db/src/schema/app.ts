// Claw Cloud's own tables. Every row that belongs to a tenant carries workspace_id, and every
// query that reads it filters on it (see packages/core).
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { workspaces } from "./auth.ts";

// One row per assistant. `state` is what people see; `step` is where the provisioning state
// machine stands, persisted before each provider call so a crashed worker resumes from it.
export const instances = pgTable(
  "instances",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    provider: text("provider").notNull(),
    credentialId: text("credential_id"),
    region: text("region"),
    size: text("size"),
    /** The size's memory, for the bootstrap's swap decision. */
    memoryMb: integer("memory_mb"),
    openclawVersion: text("openclaw_version"),
    state: text("state").notNull().default("pending"),
    step: text("step").notNull().default("pending"),
    stateMessage: text("state_message"),
    serverId: text("server_id"),
    ipv4: text("ipv4"),
    keepOnFailure: boolean("keep_on_failure").notNull().default(false),
    /** Consecutive retryable failures of the current step, for backoff. */
    retries: integer("retries").notNull().default(0),
    /** A worker holds the instance while it runs a step; another waits until the lease ends. */
    leaseOwner: text("lease_owner"),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    registrationTokenHash: text("registration_token_hash"),
    registrationExpiresAt: timestamp("registration_expires_at", { withTimezone: true }),
    registeredAt: timestamp("registered_at", { withTimezone: true }),
    agentPublicKey: text("agent_public_key"),
    agentVersion: text("agent_version"),
    runningOpenclawVersion: text("running_openclaw_version"),
    lastHeartbeatAt: timestamp("last_heartbeat_at", { withTimezone: true }),
    health: jsonb("health").$type<Record<string, unknown> | null>(),
    /** The model OpenClaw uses, as the agent reported after setting it. Never the key. */
    model: jsonb("model").$type<{ model: string; api: string; host: string | null; setAt: string } | null>(),
    /** The server process (replica) holding the agent's socket: chats are routed there. */
    agentReplica: text("agent_replica"),
    readyAt: timestamp("ready_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("instances_workspace_created_idx").on(t.workspaceId, t.createdAt),
    index("instances_state_idx").on(t.state),
    index("instances_credential_idx").on(t.credentialId),
  ],
);

/** The instance's timeline: each provisioning step's start and end, state changes, failures. */
export const instanceEvents = pgTable(
  "instance_events",
  {
    id: text("id").primaryKey(),
    instanceId: text("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    step: text("step").notNull(),
    status: text("status").notNull(),
    message: text("message"),
  },
  (t) => [index("instance_events_instance_at_idx").on(t.instanceId, t.at)],
);

/** Agent credentials: the bearer secret an agent holds, stored as its hash; revocable. */
export const agentCredentials = pgTable(
  "agent_credentials",
  {
    id: text("id").primaryKey(),
    instanceId: text("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    secretHash: text("secret_hash").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("agent_credentials_instance_idx").on(t.instanceId)],
);

// A cloud account's secret is stored only as an envelope (see packages/core/src/vault): the
// ciphertext, the data key wrapped by master key `key_version`. Nothing here can be read back as the
// secret without the master key; `last4` and `fingerprint` are what people see.
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
    fingerprint: text("fingerprint").notNull(),
    accountLabel: text("account_label"),
    scopes: jsonb("scopes").$type<string[] | null>(),
    status: text("status").notNull().default("valid"),
    statusMessage: text("status_message"),
    deleteAfterProvisioning: boolean("delete_after_provisioning").notNull().default(false),
    keyVersion: integer("key_version").notNull(),
    wrappedKey: text("wrapped_key").notNull(),
    ciphertext: text("ciphertext").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastVerifiedAt: timestamp("last_verified_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [
    index("cloud_credentials_workspace_idx").on(t.workspaceId, t.createdAt),
    uniqueIndex("cloud_credentials_workspace_fingerprint_idx").on(t.workspaceId, t.provider, t.fingerprint),
    index("cloud_credentials_key_version_idx").on(t.keyVersion),
  ],
);
