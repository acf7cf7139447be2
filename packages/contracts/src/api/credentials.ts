import { z } from "zod";

export const providerSchema = z.enum(["digitalocean", "hetzner", "vultr", "aws", "azure", "gcp"]);
export type Provider = z.infer<typeof providerSchema>;

export const credentialSummarySchema = z
  .object({
    id: z.string(),
    provider: providerSchema,
    label: z.string(),
    last4: z.string(),
    fingerprint: z.string(),
    accountLabel: z.string().nullable(),
    scopes: z.array(z.string()).nullable(),
    status: z.enum(["valid", "invalid", "unavailable"]),
    statusMessage: z.string().nullable(),
    deleteAfterProvisioning: z.boolean(),
    createdAt: z.iso.datetime(),
    lastVerifiedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "CredentialSummary" });
export type CredentialSummary = z.infer<typeof credentialSummarySchema>;

export const credentialListSchema = z.object({ items: z.array(credentialSummarySchema) }).meta({ id: "CredentialList" });

const tokenSchema = z
  .string()
  .trim()
  .min(16, "This token is too short to be an API token: paste the whole token")
  .max(512, "This token is too long: paste only the token")
  .regex(/^[\x21-\x7e]+$/, "A token has no spaces or special characters: paste only the token");

export const awsSecretSchema = z.union([
  z.strictObject({
    accessKeyId: z.string().regex(/^(AKIA|ASIA)[A-Z0-9]{12,124}$/, "An access key id starts with AKIA and has only capitals and digits"),
    secretAccessKey: z.string().min(16).max(256),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/)
      .optional(),
  }),
  z.strictObject({
    roleArn: z
      .string()
      .regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, "A role ARN looks like arn:aws:iam::123456789012:role/ClawCloud"),
    externalId: z.string().min(2).max(1224),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/)
      .optional(),
  }),
]);
export type AwsSecret = z.infer<typeof awsSecretSchema>;

const guid = (what: string) =>
  z
    .string()
    .trim()
    .regex(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
      `The ${what} is a GUID like 00000000-0000-0000-0000-000000000000`,
    );

/** An Azure service principal's client secret, for one subscription and resource group. */
export const azureSecretSchema = z.strictObject({
  tenantId: guid("tenant (directory) id"),
  clientId: guid("client (application) id"),
  clientSecret: z
    .string()
    .min(16, "This client secret is too short: paste the secret's value, not its id")
    .max(256)
    .regex(/^[\x21-\x7e]+$/, "A client secret has no spaces: paste only the secret's value"),
  subscriptionId: guid("subscription id"),
  resourceGroup: z
    .string()
    .trim()
    .regex(
      /^[-\w.()]{1,89}[-\w()]$/,
      "A resource group name has 1–90 letters, digits, '-', '_', '.', '(' or ')' and does not end with '.'",
    ),
});
export type AzureSecret = z.infer<typeof azureSecretSchema>;

/** A GCP service account's JSON key, as `gcloud iam service-accounts keys create` writes it. */
export const gcpSecretSchema = z.object({
  type: z.literal("service_account", 'Paste a service account key: its "type" is "service_account"'),
  project_id: z.string().regex(/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/, "project_id is not a GCP project id"),
  private_key_id: z.string().regex(/^[0-9a-f]{40}$/i, "private_key_id is not a key id"),
  private_key: z
    .string()
    .max(8192)
    .regex(
      /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n?$/,
      "private_key is not the PEM key of a service account key file",
    ),
  client_email: z
    .string()
    .regex(/^[a-z][-a-z0-9]{4,29}@[-a-z0-9.]+\.gserviceaccount\.com$/, "client_email is not a service account address"),
  client_id: z.string().max(64).optional(),
  // Other fields of the key file (auth_uri, token_uri, universe_domain…) are accepted and dropped.
});
export type GcpSecret = z.infer<typeof gcpSecretSchema>;

export const credentialLabelSchema = z
  .string()
  .trim()
  .min(1, "Give the account a name you will recognise")
  .max(60, "Use at most 60 characters");

export const createCredentialSchema = z
  .discriminatedUnion("provider", [
    z.strictObject({
      provider: z.literal("digitalocean"),
      label: credentialLabelSchema,
      secret: tokenSchema,
      deleteAfterProvisioning: z.boolean().optional(),
    }),
    z.strictObject({
      provider: z.literal("hetzner"),
      label: credentialLabelSchema,
      secret: tokenSchema,
      deleteAfterProvisioning: z.boolean().optional(),
    }),
    z.strictObject({
      provider: z.literal("vultr"),
      label: credentialLabelSchema,
      secret: tokenSchema,
      deleteAfterProvisioning: z.boolean().optional(),
    }),
    z.strictObject({
      provider: z.literal("aws"),
      label: credentialLabelSchema,
      secret: awsSecretSchema,
      deleteAfterProvisioning: z.boolean().optional(),
    }),
    z.strictObject({
      provider: z.literal("azure"),
      label: credentialLabelSchema,
      secret: azureSecretSchema,
      deleteAfterProvisioning: z.boolean().optional(),
    }),
    z.strictObject({
      provider: z.literal("gcp"),
      label: credentialLabelSchema,
      secret: gcpSecretSchema,
      deleteAfterProvisioning: z.boolean().optional(),
    }),
  ])
  .meta({ id: "CreateCredential" });
export type CreateCredential = z.infer<typeof createCredentialSchema>;

export const regionSchema = z
  .object({ id: z.string(), name: z.string(), location: z.string().optional(), available: z.boolean() })
  .meta({ id: "Region" });
export const regionListSchema = z.object({ items: z.array(regionSchema) }).meta({ id: "RegionList" });

export const sizeSchema = z
  .object({
    id: z.string(),
    vcpus: z.number(),
    memoryMb: z.number(),
    diskGb: z.number(),
    priceMonthlyCents: z.number(),
    currency: z.enum(["USD", "EUR"]),
    regions: z.array(z.string()),
  })
  .meta({ id: "Size" });
export const sizeListSchema = z.object({ items: z.array(sizeSchema) }).meta({ id: "SizeList" });

export const providerGuideSchema = z
  .object({
    id: providerSchema,
    name: z.string(),
    tokenUrl: z.string(),
    permissions: z.array(z.string()),
    notes: z.string(),
    secretKind: z.enum(["token", "aws", "azure", "gcp"]),
  })
  .meta({ id: "ProviderGuide" });
export type ProviderGuide = z.infer<typeof providerGuideSchema>;
export const providerGuideListSchema = z.object({ items: z.array(providerGuideSchema) }).meta({ id: "ProviderGuideList" });

export const awsSetupSchema = z
  .object({
    /** The external ID this workspace's IAM role must require: issued by Claw Cloud, not chosen. */
    externalId: z.string(),
    /** The AWS account Claw Cloud assumes roles from; null when this server has none configured. */
    trustedAccountId: z.string().nullable(),
    /** The role's trust policy to paste (null without a trusted account). */
    trustPolicy: z.unknown().nullable(),
    /** The least-privilege permissions policy to attach to the role. */
    permissionsPolicy: z.unknown(),
  })
  .meta({ id: "AwsSetup" });
export type AwsSetup = z.infer<typeof awsSetupSchema>;
