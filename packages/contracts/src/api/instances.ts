import { z } from "zod";
import { idParam } from "./common.ts";
import { providerSchema } from "./credentials.ts";

export const instanceStateSchema = z.enum([
  "pending",
  "creating",
  "booting",
  "bootstrapping",
  "ready",
  "degraded",
  "unreachable",
  "failed",
  "deleting",
  "deleted",
]);
export type InstanceState = z.infer<typeof instanceStateSchema>;

export const deployProviderSchema = z.union([providerSchema, z.literal("local")]);
export type DeployProvider = z.infer<typeof deployProviderSchema>;

export const instanceSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    provider: deployProviderSchema,
    state: instanceStateSchema,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "InstanceSummary" });
export type InstanceSummary = z.infer<typeof instanceSummarySchema>;

export const instanceListSchema = z.object({ items: z.array(instanceSummarySchema) }).meta({ id: "InstanceList" });

export const instanceStepSchema = z
  .object({
    step: z.string(),
    status: z.enum(["start", "ok", "failed", "info"]),
    message: z.string().nullable(),
    at: z.iso.datetime(),
  })
  .meta({ id: "InstanceEvent" });

export const instanceSchema = instanceSummarySchema
  .extend({
    credentialId: z.string().nullable(),
    region: z.string().nullable(),
    size: z.string().nullable(),
    step: z.string(),
    stateMessage: z.string().nullable(),
    openclawVersion: z.string().nullable(),
    runningOpenclawVersion: z.string().nullable(),
    agentVersion: z.string().nullable(),
    /** The agent's X25519 public key (base64): seal the model key to it in the browser. */
    agentPublicKey: z.string().nullable(),
    /** The model OpenClaw uses, as the agent last reported it; null until one is set. Never the key. */
    model: z.object({ model: z.string(), api: z.string(), host: z.string().nullable(), setAt: z.iso.datetime() }).nullable(),
    ipv4: z.string().nullable(),
    keepOnFailure: z.boolean(),
    lastHeartbeatAt: z.iso.datetime().nullable(),
    readyAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime(),
    events: z.array(instanceStepSchema),
  })
  .meta({ id: "Instance" });
export type Instance = z.infer<typeof instanceSchema>;

export const instanceNameSchema = z
  .string()
  .trim()
  .min(1, "Give your assistant a name")
  .max(48, "Use at most 48 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "Use letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit");

export const openclawVersionSchema = z
  .string()
  .regex(/^\d{4}\.\d{1,2}\.\d{1,2}(-[0-9A-Za-z.]+)?$/, "Use an exact OpenClaw version such as 2026.9.6");

export const createInstanceSchema = z
  .strictObject({
    name: instanceNameSchema,
    provider: deployProviderSchema,
    credentialId: idParam("crd").optional(),
    region: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z0-9-]+$/, "must be a region id from the list")
      .optional(),
    size: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z0-9.-]+$/, "must be a size id from the list")
      .optional(),
    openclawVersion: openclawVersionSchema.optional(),
    keepOnFailure: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.provider === "local") {
      for (const k of ["credentialId", "region", "size"] as const) {
        if (v[k] !== undefined) ctx.addIssue({ code: "custom", path: [k], message: "is not used when deploying to this machine" });
      }
      return;
    }
    for (const k of ["credentialId", "region", "size"] as const) {
      if (v[k] === undefined) ctx.addIssue({ code: "custom", path: [k], message: `is required to deploy to ${v.provider}` });
    }
  })
  .meta({ id: "CreateInstance" });
export type CreateInstance = z.infer<typeof createInstanceSchema>;
