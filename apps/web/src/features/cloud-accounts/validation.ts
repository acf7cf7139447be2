// The same rules the server applies (packages/contracts, createCredentialSchema), checked here
// first so a typo is pointed at its field before anything is sent.
import type { FieldErrors } from "../auth/validation";

export const LABEL_MAX = 60;

export function validateLabel(label: string): string | undefined {
  const value = label.trim();
  if (!value) return "Give the account a name you will recognise.";
  if (value.length > LABEL_MAX) return `Use at most ${LABEL_MAX} characters.`;
  return undefined;
}

export function validateToken(token: string, providerName: string): string | undefined {
  const value = token.trim();
  if (!value) return `Paste the API token you created in ${providerName}.`;
  if (/\s/.test(value)) return "A token has no spaces: paste only the token.";
  if (!/^[\x21-\x7e]+$/.test(value)) return "A token has no special characters: paste only the token.";
  if (value.length < 16) return "This is too short to be an API token: paste the whole token.";
  if (value.length > 512) return "This is too long to be an API token: paste only the token.";
  return undefined;
}

const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export function validateAwsRole(roleArn: string, externalId: string): FieldErrors {
  return {
    roleArn: !roleArn.trim()
      ? "Paste the ARN of the role you created."
      : ROLE_ARN.test(roleArn.trim())
        ? undefined
        : "A role ARN looks like arn:aws:iam::123456789012:role/ClawCloud.",
    externalId: externalId.trim().length >= 2 ? undefined : "Enter the external ID from the role's trust policy.",
  };
}

export function validateAwsKeys(accessKeyId: string, secretAccessKey: string): FieldErrors {
  return {
    accessKeyId: !accessKeyId.trim()
      ? "Paste the access key ID."
      : ACCESS_KEY_ID.test(accessKeyId.trim())
        ? undefined
        : "An access key ID starts with AKIA and has only capital letters and digits.",
    secretAccessKey: !secretAccessKey
      ? "Paste the secret access key."
      : secretAccessKey.trim().length < 16
        ? "This is too short to be a secret access key: paste the whole key."
        : undefined,
  };
}

export function validateAwsRegion(region: string): string | undefined {
  if (!region.trim()) return undefined;
  return REGION.test(region.trim()) ? undefined : "A region looks like us-east-1 or eu-central-1.";
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RESOURCE_GROUP = /^[-\w.()]{1,89}[-\w()]$/;

export interface AzureInput {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  resourceGroup: string;
}

export function validateAzure(a: AzureInput): FieldErrors {
  const guid = (v: string, what: string) =>
    !v.trim() ? `Paste the ${what}.` : GUID.test(v.trim()) ? undefined : `The ${what} is a GUID like 00000000-0000-0000-0000-000000000000.`;
  return {
    tenantId: guid(a.tenantId, "tenant (directory) id"),
    clientId: guid(a.clientId, "client (application) id"),
    clientSecret: !a.clientSecret
      ? "Paste the client secret's value."
      : a.clientSecret.trim().length < 16
        ? "This is too short to be a client secret: paste its value, not its id."
        : /\s/.test(a.clientSecret.trim())
          ? "A client secret has no spaces: paste only its value."
          : undefined,
    subscriptionId: guid(a.subscriptionId, "subscription id"),
    resourceGroup: !a.resourceGroup.trim()
      ? "Name the resource group you created for Claw Cloud."
      : RESOURCE_GROUP.test(a.resourceGroup.trim())
        ? undefined
        : "A resource group name has letters, digits, '-', '_', '.', '(' or ')' and does not end with '.'.",
  };
}

/** A pasted service account key file → the key, or why it is not one. */
export function parseGcpKey(text: string): { key: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { error: "Paste the contents of the key file (key.json)." };
  let key: unknown;
  try {
    key = JSON.parse(text);
  } catch {
    return { error: "This is not the JSON of a key file: paste the whole file, from { to }." };
  }
  if (!key || typeof key !== "object" || Array.isArray(key)) return { error: "This is not the JSON of a key file." };
  const k = key as Record<string, unknown>;
  if (k.type !== "service_account") return { error: 'This is not a service account key: its "type" must be "service_account".' };
  for (const f of ["project_id", "private_key_id", "private_key", "client_email"]) {
    if (typeof k[f] !== "string" || !k[f]) return { error: `The key file has no "${f}": paste the whole file.` };
  }
  return { key: k };
}
