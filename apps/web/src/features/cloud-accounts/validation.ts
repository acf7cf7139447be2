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
