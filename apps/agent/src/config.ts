// The agent's configuration: one JSON file written by the bootstrap (cloud-init), read once at
// start-up and validated. The registration token in it is removed once it has been spent.
import { readFile } from "node:fs/promises";
import { isAbsolute } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "./atomic-file.ts";

export const DEFAULT_CONFIG_PATH = "/etc/clawcloud-agent/config.json";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
const isLoopback = (url: URL) => LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
const httpUrl = z.url({ protocol: /^https?$/, normalize: true });
const absolutePath = z.string().refine(isAbsolute, "must be an absolute path");

/** Timings; the defaults suit production, tests shorten them. */
const tuningSchema = z.strictObject({
  reconnectMinDelayMs: z.number().int().positive().default(1_000),
  reconnectMaxDelayMs: z.number().int().positive().default(60_000),
  /** A connection that stayed up this long resets the backoff. */
  stableConnectionMs: z.number().int().positive().default(60_000),
  /** WebSocket ping interval; a missing pong by the next ping drops the connection. */
  keepaliveIntervalMs: z.number().int().positive().default(25_000),
  welcomeTimeoutMs: z.number().int().positive().default(15_000),
  handshakeTimeoutMs: z.number().int().positive().default(15_000),
  registerTimeoutMs: z.number().int().positive().default(30_000),
  gatewayTimeoutMs: z.number().int().positive().default(2_000),
  progressPollMs: z.number().int().positive().default(1_000),
  /** How often the agent compares the support grant's expiry with the clock (besides its timer). */
  supportCheckMs: z.number().int().positive().default(30_000),
  /** How long a new bundle on trial (self-update) may take to connect and send a heartbeat. */
  selfUpdateTrialMs: z.number().int().positive().default(120_000),
});

/** Support access (issue 7): where the support key goes, the local sshd, its log of logins. */
const supportSchema = z.strictObject({
  /** The authorized_keys file of the support user (the local provider: inside the instance directory). */
  authorizedKeysFile: absolutePath,
  /** On a server the file is root's: written with `sudo -n tee`, emptied with `sudo -n truncate` (sudoers names that path only). */
  sudo: z.boolean().default(false),
  /** The account support logs in as (reported logins are this user's). */
  user: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/)
    .default("clawsupport"),
  sshHost: z.string().min(1).default("127.0.0.1"),
  sshPort: z.number().int().min(1).max(65535).default(22),
  /** sshd's log: a file to follow, or "journal" (journalctl). Absent: logins are not reported. */
  authLog: z.union([absolutePath, z.literal("journal")]).optional(),
});
export type SupportConfig = z.infer<typeof supportSchema>;

const configObjectSchema = z.object({
  /** Format version of this file. */
  version: z.literal(1).optional(),
  serverUrl: httpUrl,
  instanceId: z.string().regex(/^ins_[0-9a-z]{26}$/),
  registrationToken: z.string().min(43).max(128).optional(),
  stateDir: absolutePath.default("/var/lib/clawcloud-agent"),
  gatewayUrl: httpUrl.default("http://127.0.0.1:18789"),
  gatewayToken: z.string().min(1).optional(),
  /** Path of the `openclaw` executable, to report the installed version and run its CLI. */
  openclawBin: absolutePath.optional(),
  /** OpenClaw's HOME (its state is `<home>/.openclaw`), for backups, updates and restores. */
  openclawHome: absolutePath.optional(),
  /** Who runs the gateway: `systemd` (servers: sudo systemctl, CLI as the openclaw user) or
   * `external` (the local provider's supervisor: a hold file and the gateway's pid file). */
  supervisor: z.enum(["systemd", "external"]).default("systemd"),
  /** external: the supervisor does not restart the gateway while this file exists. */
  gatewayHoldFile: absolutePath.optional(),
  gatewayPidFile: absolutePath.optional(),
  /** npm's CLI script (npm-cli.js) run by this Node, for reinstalling an exact OpenClaw version. */
  npmCli: absolutePath.optional(),
  /** Where verified backups are kept (the newest 3). Default `<stateDir>/backups`. */
  backupDir: absolutePath.optional(),
  /** Overrides the interval the server asks for (debugging and tests); fractions allowed. */
  heartbeatIntervalSec: z.number().positive().optional(),
  /** JSON lines `{name,status,message?}` that the bootstrap appends; forwarded as events. */
  bootstrapProgressFile: absolutePath.optional(),
  /** Plain http to a non-loopback server exposes the token and credential; refused unless set. */
  allowInsecureServerUrl: z.boolean().default(false),
  tuning: tuningSchema.prefault({}),
  support: supportSchema.optional(),
});

export const configSchema = configObjectSchema.superRefine((c, ctx) => {
  const url = new URL(c.serverUrl);
  if (url.protocol === "http:" && !isLoopback(url) && !c.allowInsecureServerUrl) {
    ctx.addIssue({ code: "custom", path: ["serverUrl"], message: "must use https (http is allowed for loopback only)" });
  }
  if (c.tuning.reconnectMaxDelayMs < c.tuning.reconnectMinDelayMs) {
    ctx.addIssue({ code: "custom", path: ["tuning", "reconnectMaxDelayMs"], message: "must be ≥ reconnectMinDelayMs" });
  }
});

export type AgentConfig = z.infer<typeof configSchema> & { configPath: string };

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads and validates the config file. Unknown keys are returned (to warn about), not fatal. */
export async function loadConfig(path: string): Promise<{ config: AgentConfig; unknownKeys: string[] }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err instanceof SyntaxError ? "invalid JSON" : "unreadable");
    throw new ConfigError(`cannot read config file ${path}: ${reason}`);
  }
  raw = flattenNested(raw);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    // Issue paths and messages only: never echo the values (the file holds secrets).
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new ConfigError(`invalid config file ${path}: ${issues}`);
  }
  const known = new Set(Object.keys(configObjectSchema.shape));
  const unknownKeys = raw && typeof raw === "object" ? Object.keys(raw).filter((k) => !known.has(k)) : [];
  const config = { ...parsed.data, configPath: path };
  return { config, unknownKeys };
}

/**
 * The bootstrap (packages/bootstrap) writes `gateway: {url, token}` and `openclaw: {bin, home,
 * version, supervisor}`; read that shape as the flat keys (which win when both are present).
 * `openclaw.version` is not used (the installed package says which version runs).
 */
function flattenNested(raw: unknown): unknown {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = { ...raw };
  const nested = (key: string) => {
    const value = out[key];
    delete out[key];
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  };
  const gateway = nested("gateway");
  const openclaw = nested("openclaw");
  out.gatewayUrl ??= gateway.url;
  out.gatewayToken ??= gateway.token;
  out.openclawBin ??= openclaw.bin;
  out.openclawHome ??= openclaw.home;
  out.supervisor ??= openclaw.supervisor;
  for (const key of ["gatewayUrl", "gatewayToken", "openclawBin", "openclawHome", "supervisor"])
    if (out[key] === undefined) delete out[key];
  return out;
}

/**
 * Removes the spent registration token from the config file, keeping everything else as it was.
 * Returns false when the file cannot be rewritten (read-only): the token is spent either way.
 */
export async function removeRegistrationToken(path: string): Promise<boolean> {
  try {
    const raw = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
    if (!("registrationToken" in raw)) return true;
    delete raw.registrationToken;
    await writeFileAtomic(path, `${JSON.stringify(raw, null, 2)}\n`, 0o600);
    return true;
  } catch {
    return false;
  }
}
