// AWS credentials a user gives Claw Cloud, and the STS calls around them.

import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, type STSClientConfig } from "@aws-sdk/client-sts";
import { z } from "zod";
import { ProviderError } from "../spec.ts";
import { toProviderError } from "./errors.ts";

export const awsCredentialsSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("keys"),
    accessKeyId: z.string().regex(/^[A-Z0-9]{16,128}$/, "an AWS access key id is 16-128 upper-case letters and digits"),
    secretAccessKey: z.string().min(16).max(256),
    /** Default region: listSizes, validateCredentials and bare instance ids use it. us-east-1 if unset. */
    region: z.string().optional(),
  }),
  z.object({
    kind: z.literal("role"),
    roleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, "an IAM role ARN, arn:aws:iam::<account>:role/<name>"),
    externalId: z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, "an external id is 2-1224 characters"),
    region: z.string().optional(),
  }),
]);
export type AwsCredentials = z.infer<typeof awsCredentialsSchema>;

export interface AwsIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Where the server's own AWS credentials (used only to assume users' roles) come from. */
export type BaseCredentialsProvider = () => Promise<AwsIdentity>;

export interface StsOptions {
  region: string;
  endpoint: string | undefined;
  requestHandler: STSClientConfig["requestHandler"];
  /** The server's own credentials for AssumeRole. Undefined: the SDK's default chain (env, profile, IMDS…). */
  baseCredentials: BaseCredentialsProvider | undefined;
}

function stsClient(o: StsOptions, credentials: AwsIdentity | BaseCredentialsProvider | undefined): STSClient {
  return new STSClient({
    region: o.region,
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    requestHandler: o.requestHandler,
    // The worker owns retry policy (backoff with jitter, Retry-After, attempt budget): no SDK retries.
    maxAttempts: 1,
  });
}

const REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * A credentials provider for the EC2 client that assumes the user's role with their external id,
 * caches the session and renews it five minutes before it expires. Concurrent callers share one
 * AssumeRole call.
 */
export function assumeRoleProvider(
  creds: Extract<AwsCredentials, { kind: "role" }>,
  o: StsOptions,
  now: () => number,
): () => Promise<AwsIdentity> {
  let cached: AwsIdentity | undefined;
  let inflight: Promise<AwsIdentity> | undefined;
  const client = stsClient(o, o.baseCredentials);
  const assume = async (): Promise<AwsIdentity> => {
    try {
      const out = await client.send(
        new AssumeRoleCommand({
          RoleArn: creds.roleArn,
          ExternalId: creds.externalId,
          RoleSessionName: "clawcloud",
          DurationSeconds: 3600,
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
        throw new ProviderError({ provider: "aws", kind: "unknown", message: "AWS AssumeRole: the answer carried no credentials" });
      }
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    } catch (err) {
      if ((err as { name?: unknown } | undefined)?.name === "CredentialsProviderError") {
        throw new ProviderError({
          provider: "aws",
          kind: "unknown",
          message:
            "AWS AssumeRole: this Claw Cloud server has no AWS credentials of its own to assume roles with; the operator must configure them (environment, profile or instance role)",
        });
      }
      const pe = toProviderError(err, "AssumeRole");
      if (pe.kind === "forbidden" || pe.kind === "unauthorized" || pe.kind === "invalid") {
        // AccessDenied here means the role's trust policy does not let us in (wrong account or
        // external id), which makes the credential unusable: unauthorized, with what to check.
        const base = pe.message.includes("InvalidClientTokenId") || pe.message.includes("SignatureDoesNotMatch");
        throw new ProviderError({
          provider: "aws",
          kind: "unauthorized",
          status: 401,
          message: base
            ? `AWS AssumeRole: Claw Cloud's own AWS credentials were refused; the server operator must fix them [${pe.message.replace(/^.*\[(.*)\]$/, "$1")}]`
            : `AWS AssumeRole: could not assume ${creds.roleArn}: check that the role's trust policy names Claw Cloud's account and this credential's external id [${pe.message.replace(/^.*\[(.*)\]$/, "$1")}]`,
          cause: pe,
        });
      }
      throw pe;
    }
  };
  return async () => {
    if (cached && (!cached.expiration || cached.expiration.getTime() - now() > REFRESH_BEFORE_MS)) return cached;
    inflight ??= assume().then(
      (id) => {
        cached = id;
        inflight = undefined;
        return id;
      },
      (err: unknown) => {
        inflight = undefined;
        throw err;
      },
    );
    return inflight;
  };
}

/** sts:GetCallerIdentity with the given credentials: which account and principal they are. */
export async function callerIdentity(
  o: StsOptions,
  credentials: AwsIdentity | (() => Promise<AwsIdentity>),
): Promise<{ account: string; arn: string }> {
  try {
    const out = await stsClient(o, credentials).send(new GetCallerIdentityCommand({}));
    return { account: out.Account ?? "", arn: out.Arn ?? "" };
  } catch (err) {
    throw toProviderError(err, "GetCallerIdentity");
  }
}
