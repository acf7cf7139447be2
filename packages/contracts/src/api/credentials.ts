import { z } from "zod";

export const providerSchema = z.enum(["digitalocean", "hetzner", "vultr", "aws"]);

export const credentialSummarySchema = z
  .object({
    id: z.string(),
    provider: providerSchema,
    label: z.string(),
    last4: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "CredentialSummary" });
export type CredentialSummary = z.infer<typeof credentialSummarySchema>;

export const credentialListSchema = z.object({ items: z.array(credentialSummarySchema) }).meta({ id: "CredentialList" });
