// Updates (issue 6): OpenClaw's release channels, per-instance update/rollback/pin, fleet rollouts.
import { z } from "zod";
import { instanceSchema, openclawVersionSchema } from "./instances.ts";

export const openclawVersionsSchema = z
  .object({
    channels: z.array(
      z.object({
        channel: z.enum(["stable", "beta"]),
        version: z.string(),
        publishedAt: z.iso.datetime().nullable(),
        hasReleaseNotes: z.boolean(),
      }),
    ),
    /** When the registry last answered (null: never yet). */
    fetchedAt: z.iso.datetime().nullable(),
    /** The last attempt; `stale` when it failed and the answer above is older. */
    checkedAt: z.iso.datetime().nullable(),
    stale: z.boolean(),
  })
  .meta({ id: "OpenclawVersions" });
export type OpenclawVersions = z.infer<typeof openclawVersionsSchema>;

export const releaseNotesSchema = z
  .object({ version: z.string(), notes: z.string().nullable(), publishedAt: z.iso.datetime().nullable() })
  .meta({ id: "ReleaseNotes" });
export type ReleaseNotes = z.infer<typeof releaseNotesSchema>;

export const updateInstanceSchema = z
  .strictObject({ version: openclawVersionSchema.optional() })
  .meta({ id: "UpdateInstance", description: "No version: the newest stable version (or the pinned one)." });

export const pinInstanceSchema = z
  .strictObject({ version: openclawVersionSchema.nullable() })
  .meta({ id: "PinInstance", description: "An exact version to stay on, or null to unpin." });

export const operationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["update", "rollback", "agent_update"]),
    fromVersion: z.string(),
    toVersion: z.string(),
    step: z.string(),
    status: z.enum(["running", "succeeded", "rolled_back", "failed"]),
    message: z.string().nullable(),
    createdAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "InstanceOperation" });
export type InstanceOperation = z.infer<typeof operationSchema>;

/** What GET /instances/{id} adds about updates. */
export const instanceUpdateInfoSchema = z.object({
  latestVersion: z.string().nullable(),
  /** When latestVersion was fetched from the registry (it may be old if the registry was unreachable). */
  latestVersionFetchedAt: z.iso.datetime().nullable(),
  updateAvailable: z.boolean(),
  pinnedVersion: z.string().nullable(),
  /** The version a rollback returns to (the one before the last successful update). */
  rollbackVersion: z.string().nullable(),
  /** The last update or rollback of OpenClaw. */
  operation: operationSchema.nullable(),
  /** The agent's last update of itself (agents follow the server's bundle on their own). */
  agentUpdate: operationSchema.nullable(),
});

export const instanceDetailSchema = instanceSchema.extend(instanceUpdateInfoSchema.shape).meta({ id: "InstanceDetail" });
export type InstanceDetail = z.infer<typeof instanceDetailSchema>;

export const createRolloutSchema = z
  .strictObject({
    targetVersion: openclawVersionSchema,
    /** Cumulative percentages of eligible instances, ascending, ending at 100. */
    rings: z
      .array(z.number().int().min(1).max(100))
      .min(1)
      .max(6)
      .refine((r) => r.every((p, i) => i === 0 || p > (r[i - 1] as number)) && r.at(-1) === 100, "must ascend and end at 100")
      .default([1, 10, 100]),
    bakeSeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .default(3600),
    /** Failed + rolled-back updates over a ring's updates above this fraction halt the rollout. */
    failureThreshold: z.number().min(0).max(1).default(0.2),
  })
  .meta({ id: "CreateRollout" });

export const rolloutSchema = z
  .object({
    id: z.string(),
    targetVersion: z.string(),
    status: z.enum(["running", "paused", "halted", "completed"]),
    rings: z.array(z.number()),
    currentRing: z.number().int(),
    bakeSeconds: z.number().int(),
    failureThreshold: z.number(),
    message: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    progress: z.array(
      z.object({
        ring: z.number().int(),
        percent: z.number(),
        targets: z.number().int(),
        running: z.number().int(),
        succeeded: z.number().int(),
        failed: z.number().int(),
        rolledBack: z.number().int(),
      }),
    ),
  })
  .meta({ id: "Rollout" });
export type Rollout = z.infer<typeof rolloutSchema>;
export const rolloutListSchema = z.object({ items: z.array(rolloutSchema) }).meta({ id: "RolloutList" });
