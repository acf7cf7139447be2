import { z } from "zod";

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

export const instanceSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    provider: z.string(),
    state: instanceStateSchema,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "InstanceSummary" });
export type InstanceSummary = z.infer<typeof instanceSummarySchema>;

export const instanceListSchema = z.object({ items: z.array(instanceSummarySchema) }).meta({ id: "InstanceList" });
