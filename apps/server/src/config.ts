// Configuration is read once, at start-up, from the environment and validated: a bad value stops
// the process with a message naming the variable, not a failure later at first use.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describeIssues, type ProviderEndpoints, parseSshPublicKey } from "@clawcloud/core";
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  CLAWCLOUD_DATA_DIR: z.string().min(1).default("./.clawcloud"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  CLAWCLOUD_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  CLAWCLOUD_AGENT_URL: z.url({ protocol: /^https$/ }).optional(),
  CLAWCLOUD_AGENT_BUNDLE: z
    .string()
    .min(1)
    .refine(existsSync, "no such file (the agent bundle to serve: a built clawcloud-agent.js)")
    .optional(),
  CLAWCLOUD_NODE_MIRROR_URL: z.url({ protocol: /^https?$/ }).optional(),
  CLAWCLOUD_NPM_REGISTRY_URL: z.url({ protocol: /^https?$/ }).optional(),
  CLAWCLOUD_NODE_TARBALL_SHA256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "must be the sha256 of the Node.js tarball the mirror serves, in lowercase hex")
    .optional(),
  CLAWCLOUD_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  CLAWCLOUD_MASTER_KEYS: z.string().min(1).optional(),
  CLAWCLOUD_DIGITALOCEAN_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  CLAWCLOUD_HETZNER_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  CLAWCLOUD_VULTR_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  CLAWCLOUD_AWS_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  CLAWCLOUD_AZURE_API_URL: z.url({ protocol: /^https$/ }).optional(),
  CLAWCLOUD_AZURE_LOGIN_URL: z.url({ protocol: /^https$/ }).optional(),
  CLAWCLOUD_GCP_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  CLAWCLOUD_GCP_RESOURCE_MANAGER_URL: z.url({ protocol: /^https?$/ }).optional(),
  CLAWCLOUD_AWS_ACCOUNT_ID: z
    .string()
    .regex(/^\d{12}$/, "must be a 12-digit AWS account id")
    .optional(),
  CLAWCLOUD_STAFF_EMAILS: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.email("must be a comma-separated list of e-mail addresses")))
    .default([]),
  CLAWCLOUD_SUPPORT_SSH_PUBLIC_KEY: z
    .string()
    .transform((v, ctx) => {
      const parsed = parseSshPublicKey(v);
      if ("key" in parsed) return parsed.key;
      ctx.addIssue({ code: "custom", message: parsed.error });
      return z.NEVER;
    })
    .optional(),
  CLAWCLOUD_ROLE: z.enum(["all", "api", "worker"]).default("all"),
  CLAWCLOUD_TRUST_PROXY: bool.default(false),
  CLAWCLOUD_RATE_LIMIT_SCALE: z.coerce.number().positive().default(1),
  CLAWCLOUD_WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  MAIL_FROM: z.string().min(3).default("Claw Cloud <no-reply@clawcloud.local>"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  NODE_ENV: z.string().optional(),
});

export type Role = "all" | "api" | "worker";

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  publicUrl: string;
  /** The address the agents on servers dial (https); defaults to the public URL. */
  agentUrl: string;
  /** The agent bundle served to servers (default: apps/agent/dist's); agents update themselves to its version. */
  agentBundlePath: string | undefined;
  mirrors: { nodeDistUrl?: string; nodeTarballSha256?: string; npmRegistry?: string };
  authSecret: string | undefined;
  masterKeys: string | undefined;
  providerEndpoints: ProviderEndpoints;
  awsAccountId: string | undefined;
  /** Claw Cloud's operators: fleet rollouts and support tunnels (verified accounts only). */
  staffEmails: string[];
  /** Alert webhooks: http:// outside production only; private addresses only when allowed. */
  webhooks: { allowHttp: boolean; allowPrivate: boolean };
  /** Support engineers' SSH key (`type base64`) installed by agents for a granted time; absent → no grants. */
  supportPublicKey: string | undefined;
  role: Role;
  trustProxy: boolean;
  rateLimitScale: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
  logPretty: boolean;
  production: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = []): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`Invalid configuration: ${describeIssues(parsed.error.issues)}`);
  const e = parsed.data;
  const roleArg = argv.find((a) => a.startsWith("--role"));
  const role = roleArg ? parseRole(roleArg, argv) : e.CLAWCLOUD_ROLE;
  const production = e.NODE_ENV === "production";
  if (production && !e.CLAWCLOUD_AUTH_SECRET) {
    throw new ConfigError("Invalid configuration: CLAWCLOUD_AUTH_SECRET must be set in production (32+ random characters).");
  }
  if (production && !e.CLAWCLOUD_MASTER_KEYS) {
    throw new ConfigError('Invalid configuration: CLAWCLOUD_MASTER_KEYS must be set in production ("1:<base64 of 32 random bytes>").');
  }
  if (e.CLAWCLOUD_NODE_TARBALL_SHA256 && !e.CLAWCLOUD_NODE_MIRROR_URL) {
    throw new ConfigError(
      "Invalid configuration: CLAWCLOUD_NODE_TARBALL_SHA256 is the checksum of a mirror's own Node.js tarball: set CLAWCLOUD_NODE_MIRROR_URL too, or leave it unset to use the official tarball's.",
    );
  }
  if (production && !e.CLAWCLOUD_PUBLIC_URL) {
    throw new ConfigError("Invalid configuration: CLAWCLOUD_PUBLIC_URL must be set in production (the https:// address people use).");
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.CLAWCLOUD_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    publicUrl: (e.CLAWCLOUD_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    agentUrl: (e.CLAWCLOUD_AGENT_URL ?? e.CLAWCLOUD_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    agentBundlePath: e.CLAWCLOUD_AGENT_BUNDLE ? resolve(e.CLAWCLOUD_AGENT_BUNDLE) : undefined,
    mirrors: {
      ...(e.CLAWCLOUD_NODE_MIRROR_URL ? { nodeDistUrl: e.CLAWCLOUD_NODE_MIRROR_URL } : {}),
      ...(e.CLAWCLOUD_NODE_TARBALL_SHA256 ? { nodeTarballSha256: e.CLAWCLOUD_NODE_TARBALL_SHA256 } : {}),
      ...(e.CLAWCLOUD_NPM_REGISTRY_URL ? { npmRegistry: e.CLAWCLOUD_NPM_REGISTRY_URL } : {}),
    },
    authSecret: e.CLAWCLOUD_AUTH_SECRET,
    masterKeys: e.CLAWCLOUD_MASTER_KEYS,
    awsAccountId: e.CLAWCLOUD_AWS_ACCOUNT_ID,
    staffEmails: e.CLAWCLOUD_STAFF_EMAILS,
    webhooks: { allowHttp: !production, allowPrivate: e.CLAWCLOUD_WEBHOOK_ALLOW_PRIVATE },
    supportPublicKey: e.CLAWCLOUD_SUPPORT_SSH_PUBLIC_KEY,
    providerEndpoints: Object.fromEntries(
      (
        [
          ["digitalocean", e.CLAWCLOUD_DIGITALOCEAN_API_URL],
          ["hetzner", e.CLAWCLOUD_HETZNER_API_URL],
          ["vultr", e.CLAWCLOUD_VULTR_API_URL],
          ["aws", e.CLAWCLOUD_AWS_API_URL],
          ["azure", e.CLAWCLOUD_AZURE_API_URL],
          ["azureLogin", e.CLAWCLOUD_AZURE_LOGIN_URL],
          ["gcp", e.CLAWCLOUD_GCP_API_URL],
          ["gcpResourceManager", e.CLAWCLOUD_GCP_RESOURCE_MANAGER_URL],
        ] as const
      ).filter(([, url]) => url !== undefined),
    ),
    role,
    trustProxy: e.CLAWCLOUD_TRUST_PROXY,
    rateLimitScale: e.CLAWCLOUD_RATE_LIMIT_SCALE,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    logPretty: (e.LOG_FORMAT ?? (process.stdout.isTTY ? "pretty" : "json")) === "pretty",
    production,
  };
}

function parseRole(arg: string, argv: string[]): Role {
  const value = arg.includes("=") ? arg.split("=")[1] : argv[argv.indexOf(arg) + 1];
  if (value === "all" || value === "api" || value === "worker") return value;
  throw new ConfigError(`Invalid --role "${value ?? ""}": use all, api or worker.`);
}
