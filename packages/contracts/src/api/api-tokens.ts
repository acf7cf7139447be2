// Personal API tokens: for the OpenAI-compatible endpoint of the user's instances. Shown once,
// stored as a hash, revocable. A token acts as its user in the workspace it was made in.
import { z } from "zod";

export const API_TOKEN_PREFIX = "cc_pat_";

export const apiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The first characters, to tell tokens apart (the rest is never shown again). */
    prefix: z.string(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    expiresAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "ApiToken" });
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema) }).meta({ id: "ApiTokenList" });

export const createApiTokenSchema = z
  .strictObject({
    name: z.string().trim().min(1, "Give the token a name").max(64, "Use at most 64 characters"),
    /** Days until it stops working; absent → never. */
    expiresInDays: z.number().int().min(1).max(365).optional(),
  })
  .meta({ id: "CreateApiToken" });

export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string() }).meta({ id: "CreatedApiToken" });
