// render(): the cloud-init user-data for a cloud deploy, and renderLocalInstall(): the same install
// steps, minus the system-level ones, as a script for the local provider.
//
// The scripts are static templates (../templates). The only part that varies is the values
// block: one `CC_NAME='literal'` line per value, each value validated first and then written as a
// single-quoted shell literal. So no input can change what the script does, only the data it does
// it with. In the user-data the values are a file of their own (values.sh, plain text) and the
// script, identical for every deploy, is gzipped (cloud-init's write_files gz+b64, decoded by
// cloud-init itself on every provider) to stay well under the 16 KB limit.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { pickPassthroughEnv } from "@clawcloud/contracts";
import type { z } from "zod";
import {
  type CloudBootstrapInput,
  type CloudBootstrapValues,
  cloudBootstrapInputSchema,
  hasControlCharacter,
  type LocalInstallInput,
  type LocalInstallValues,
  localInstallInputSchema,
} from "./schema.ts";
import { minifyShell, shellQuote } from "./shell.ts";

/** The smallest user-data limit of all providers (AWS EC2: 16 KB before base64). */
export const MAX_USER_DATA_BYTES = 16 * 1024;
/** The gateway's port on a cloud VPS (OpenClaw's default), bound to 127.0.0.1. */
export const CLOUD_GATEWAY_PORT = 18789;
export const DEFAULT_NODE_DIST_URL = "https://nodejs.org/dist";
/** Where the cloud script posts its progress (agent/v1 "event" frames, Bearer registration token). */
export const BOOTSTRAP_EVENTS_PATH = "/api/agent/v1/bootstrap-events";
export const CLOUD_LOG_FILE = "/var/log/clawcloud-bootstrap.log";
export const CLOUD_PATHS = {
  bootstrapScript: "/var/lib/clawcloud/bootstrap.sh",
  log: CLOUD_LOG_FILE,
  doneMarker: "/var/lib/clawcloud/bootstrap.done",
  node: "/opt/node/bin/node",
  openclawHome: "/var/lib/openclaw",
  openclawBin: "/var/lib/openclaw/.npm-global/bin/openclaw",
  agentBundle: "/opt/clawcloud-agent/clawcloud-agent.mjs",
  agentConfig: "/etc/clawcloud-agent/config.json",
  agentStateDir: "/var/lib/clawcloud-agent",
  gatewayUnit: "openclaw-gateway.service",
  agentUnit: "clawcloud-agent.service",
} as const;

export class BootstrapInputError extends Error {
  readonly issues: { field: string; message: string }[];
  constructor(issues: { field: string; message: string }[]) {
    super(`invalid bootstrap input: ${issues.map((i) => `${i.field}: ${i.message}`).join("; ")}`);
    this.name = "BootstrapInputError";
    this.issues = issues;
  }
}

export class BootstrapSizeError extends Error {
  readonly bytes: number;
  constructor(bytes: number) {
    super(`the rendered user-data is ${bytes} bytes, over the ${MAX_USER_DATA_BYTES}-byte limit (AWS EC2) of the smallest provider`);
    this.name = "BootstrapSizeError";
    this.bytes = bytes;
  }
}

export interface RenderResult {
  /** The cloud-init user-data: a #cloud-config document. Pass it to the provider as is. */
  userData: string;
  /** Its size in bytes (UTF-8). Always ≤ MAX_USER_DATA_BYTES. */
  bytes: number;
  /** The values file inside it (/var/lib/clawcloud/values.sh), which the script sources. */
  values: string;
  /** The bootstrap script inside it, gzipped (/var/lib/clawcloud/bootstrap.sh): CLOUD_BOOTSTRAP_SCRIPT. */
  script: string;
}

/** Swap for a VPS with `memoryMb` of RAM: 2 GB below 4 GB of RAM (OpenClaw idles at ~1 GB and peaks at ~1.4 GB), else none. */
export function recommendedSwapMb(memoryMb: number): number {
  return memoryMb < 4096 ? 2048 : 0;
}

const template = (name: string) => readFileSync(new URL(`../templates/${name}`, import.meta.url), "utf8");

/** Static files the cloud script installs: template → path on the VPS, mode. */
const CLOUD_FILES = [
  { template: "openclaw-gateway.service", path: "/etc/systemd/system/openclaw-gateway.service", mode: "0644" },
  { template: "clawcloud-agent.service", path: "/etc/systemd/system/clawcloud-agent.service", mode: "0644" },
  { template: "fail2ban-clawcloud.local", path: "/etc/fail2ban/jail.d/clawcloud.local", mode: "0644" },
  { template: "apt-auto-upgrades.conf", path: "/etc/apt/apt.conf.d/52clawcloud-auto-upgrades", mode: "0644" },
  // Staged: installed into /etc/sudoers.d only after visudo accepts it.
  { template: "sudoers-clawcloud-agent", path: "/var/lib/clawcloud/sudoers-clawcloud-agent", mode: "0440" },
] as const;
const FILE_EOF = "CLAWCLOUD_FILE";

/** cc_install_files(): each static file as a quoted here-document (nothing in it is expanded). */
function installFilesFunction(): string {
  const parts = CLOUD_FILES.map(({ template: name, path, mode }) => {
    // Comments stay in the templates, except each file's first line (what it is and whose).
    const body = template(`files/${name}`)
      .split("\n")
      .filter((line, i) => i === 0 || !line.startsWith("# "))
      .join("\n");
    if (body.split("\n").includes(FILE_EOF)) throw new Error(`${name} contains the line ${FILE_EOF}`);
    const dir = path.slice(0, path.lastIndexOf("/"));
    return `  mkdir -p ${dir}\n  cat >${path} <<'${FILE_EOF}'\n${body.replace(/\n?$/, "\n")}${FILE_EOF}\n  chmod ${mode} ${path}`;
  });
  return `cc_install_files() {\n${parts.join("\n")}\n}`;
}

function replaceOnce(text: string, placeholder: string, value: string): string {
  const parts = text.split(placeholder);
  if (parts.length !== 2) throw new Error(`template must contain ${placeholder} exactly once`);
  return `${parts[0]}${value}${parts[1]}`;
}

const HEADER = minifyShell(template("header.sh"));
const LIB = minifyShell(template("lib.sh"));
const OPENCLAW = minifyShell(template("openclaw.sh"));
const CLOUD_VALUES_FILE = "/var/lib/clawcloud/values.sh";

/**
 * The cloud bootstrap script as written to /var/lib/clawcloud/bootstrap.sh: identical for every
 * deploy (it sources the values file), so its sha256 identifies the template version.
 */
export const CLOUD_BOOTSTRAP_SCRIPT = [
  replaceOnce(HEADER, "@@VALUES@@", `. ${CLOUD_VALUES_FILE}`),
  LIB,
  OPENCLAW,
  replaceOnce(minifyShell(template("cloud.sh")), "@@FILES@@", installFilesFunction()),
].join("");
export const CLOUD_BOOTSTRAP_SCRIPT_SHA256 = createHash("sha256").update(CLOUD_BOOTSTRAP_SCRIPT).digest("hex");
const CLOUD_BOOTSTRAP_GZ_B64 = gzipSync(CLOUD_BOOTSTRAP_SCRIPT, { level: 9 }).toString("base64");
const LOCAL_SCRIPT_TEMPLATE = [HEADER, LIB, OPENCLAW, minifyShell(template("local.sh"))].join("");
const CLOUD_CONFIG = replaceOnce(
  replaceOnce(template("cloud-config.yaml"), "@@SCRIPT_GZ_B64@@", CLOUD_BOOTSTRAP_GZ_B64),
  "# Claw Cloud first boot (@clawcloud/bootstrap).",
  `# Claw Cloud first boot (@clawcloud/bootstrap; bootstrap.sh sha256 ${CLOUD_BOOTSTRAP_SCRIPT_SHA256}).`,
);

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new BootstrapInputError(
    result.error.issues.map((issue) => {
      if (issue.code === "unrecognized_keys") return { field: issue.keys.join(", "), message: "unknown field" };
      return { field: issue.path.map(String).join(".") || "(input)", message: issue.message };
    }),
  );
}

type Value = string | number | readonly string[];

/** The values block: `NAME='literal'` lines, arrays as `NAME=('a' 'b')`. */
export function valuesBlock(values: Record<string, Value>): string {
  return Object.entries(values)
    .map(([name, value]) => {
      if (!/^CC_[A-Z0-9_]+$/.test(name)) throw new Error(`bad variable name ${name}`);
      const items = typeof value === "object" ? value : [String(value)];
      for (const item of items) {
        // Unreachable after validation; kept so a schema mistake cannot reach a script.
        if (hasControlCharacter(item)) throw new Error(`${name} holds a control character`);
      }
      return typeof value === "object" ? `${name}=(${items.map(shellQuote).join(" ")})` : `${name}=${shellQuote(items[0] ?? "")}`;
    })
    .join("\n");
}

function cloudValues(v: CloudBootstrapValues): Record<string, Value> {
  return {
    CC_INSTANCE_ID: v.instanceId,
    CC_SERVER_URL: v.serverUrl,
    CC_REGISTRATION_TOKEN: v.registrationToken,
    CC_AGENT_BUNDLE_URL: v.agentBundleUrl,
    CC_AGENT_BUNDLE_SHA256: v.agentBundleSha256,
    CC_OPENCLAW_VERSION: v.openclawVersion,
    CC_NPM_REGISTRY: v.mirrors?.npmRegistry ?? "",
    CC_NODE_VERSION: v.nodeVersion,
    CC_NODE_SHA256: v.nodeTarballSha256,
    CC_NODE_DIST_URL: v.mirrors?.nodeDistUrl ?? DEFAULT_NODE_DIST_URL,
    CC_SWAP_MB: v.swapMb,
    CC_SSH_PUBLIC_KEY: v.userSshPublicKey ?? "",
    CC_SSH_ALLOW_FROM: v.sshAllowFrom,
  };
}

/** Indent a text into the YAML literal block at a placeholder line. */
function yamlBlock(yaml: string, placeholder: string, body: string): string {
  const lines = yaml.split("\n");
  const at = lines.findIndex((l) => l.trim() === placeholder);
  if (at < 0 || lines.findIndex((l, i) => i > at && l.trim() === placeholder) >= 0) throw new Error(`${placeholder} must appear once`);
  const indent = (lines[at] ?? "").slice(0, (lines[at] ?? "").indexOf(placeholder));
  const text = body.replace(/\n$/, "");
  if (/^\s/.test(text)) throw new Error(`${placeholder}: a YAML literal block must not start with whitespace`);
  lines.splice(at, 1, ...text.split("\n").map((l) => (l === "" ? "" : `${indent}${l}`)));
  return lines.join("\n");
}

/**
 * The cloud-init user-data that bootstraps a fresh Debian 12 / Ubuntu 24.04 VPS: hardening (SSH,
 * firewall, root), Node.js, OpenClaw and the Claw Cloud agent, both as systemd services.
 * Throws BootstrapInputError (naming each bad field) or BootstrapSizeError.
 */
export function render(input: CloudBootstrapInput): RenderResult {
  const v = parse(cloudBootstrapInputSchema, input);
  const values = `## Claw Cloud bootstrap values: data only, single-quoted literals.\n${valuesBlock(cloudValues(v))}\n`;
  let userData = yamlBlock(CLOUD_CONFIG, "@@FILE:sshd-clawcloud.conf@@", template("files/sshd-clawcloud.conf"));
  userData = yamlBlock(userData, "@@VALUES@@", values);
  const bytes = Buffer.byteLength(userData, "utf8");
  if (bytes > MAX_USER_DATA_BYTES) throw new BootstrapSizeError(bytes);
  return { userData, bytes, values, script: CLOUD_BOOTSTRAP_SCRIPT };
}

/** A command for the local provider to spawn (argument array, never a shell string). */
export interface SpawnSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

export interface LocalLayout {
  installDir: string;
  /** The install script's log (the same "clawcloud-step:" lines, timestamped, plus command output). */
  logFile: string;
  /** OpenClaw's HOME; its state and config are in `${home}/.openclaw`. */
  home: string;
  openclawConfig: string;
  openclawPrefix: string;
  openclawBin: string;
  agentBundle: string;
  agentConfig: string;
  agentStateDir: string;
  tmpDir: string;
  gatewayUrl: string;
  /** Runs the gateway in the foreground (loopback, the given port). Stop it with SIGTERM. */
  gateway: SpawnSpec;
  /** Runs the agent with its config. */
  agent: SpawnSpec;
}

/**
 * Where renderLocalInstall's script puts everything, and how to run the gateway and the agent
 * after it. `env` (default process.env) supplies the PASSTHROUGH_ENV variables.
 */
export function localLayout(
  input: { installDir: string; nodePath: string; gatewayPort: number },
  env: Record<string, string | undefined> = process.env,
): LocalLayout {
  const dir = input.installDir.replace(/\/+$/, "");
  const nodeDir = input.nodePath.slice(0, input.nodePath.lastIndexOf("/")) || "/";
  const home = `${dir}/home`;
  const prefix = `${dir}/openclaw`;
  const tmpDir = `${dir}/tmp`;
  const agentDir = `${dir}/agent`;
  const passthrough = pickPassthroughEnv(env);
  const openclawEnv = {
    ...passthrough,
    HOME: home,
    OPENCLAW_STATE_DIR: `${home}/.openclaw`,
    TMPDIR: tmpDir,
    LANG: "C.UTF-8",
    PATH: `${prefix}/bin:${nodeDir}:/usr/local/bin:/usr/bin:/bin`,
    OPENCLAW_SERVICE_REPAIR_POLICY: "external",
    OPENCLAW_NO_AUTO_UPDATE: "1",
  };
  const layout: LocalLayout = {
    installDir: dir,
    logFile: `${dir}/bootstrap.log`,
    home,
    openclawConfig: `${home}/.openclaw/openclaw.json`,
    openclawPrefix: prefix,
    openclawBin: `${prefix}/bin/openclaw`,
    agentBundle: `${agentDir}/clawcloud-agent.mjs`,
    agentConfig: `${agentDir}/config.json`,
    agentStateDir: `${agentDir}/state`,
    tmpDir,
    gatewayUrl: `http://127.0.0.1:${input.gatewayPort}`,
    gateway: {
      command: input.nodePath,
      args: [
        `${prefix}/lib/node_modules/openclaw/openclaw.mjs`,
        "gateway",
        "run",
        "--bind",
        "loopback",
        "--port",
        String(input.gatewayPort),
      ],
      env: openclawEnv,
      cwd: home,
    },
    agent: {
      command: input.nodePath,
      args: [`${agentDir}/clawcloud-agent.mjs`, "--config", `${agentDir}/config.json`],
      env: {
        ...passthrough,
        HOME: home,
        TMPDIR: tmpDir,
        LANG: "C.UTF-8",
        PATH: openclawEnv.PATH,
        CLAWCLOUD_AGENT_CONFIG: `${agentDir}/config.json`,
      },
      cwd: agentDir,
    },
  };
  return layout;
}

export interface LocalRenderResult {
  /** The install script. Write it to a file and run `bash <file>` (argument array, stdin ignored). */
  script: string;
  bytes: number;
  layout: LocalLayout;
}

/**
 * The local provider's install script: the cloud bootstrap's OpenClaw and agent steps without the
 * system-level ones, as the current user, inside `installDir`. Steps (bootstrapSteps("local")):
 * preflight (Node ≥ 24.16 at nodePath, npm at npmCliPath), openclaw-install (npm, with the mirror
 * if given), openclaw-onboard (non-interactive, loopback, token auth, no model yet),
 * openclaw-config (a fresh 256-bit gateway token, chat completions on, auto-update off),
 * agent-install (download, sha256 checked), agent-config, done. It starts nothing: run
 * `layout.gateway` and `layout.agent` afterwards. Exit 0 on success; on failure exit 1 after a
 * `clawcloud-step: <step> failed <reason>` line. Re-running skips finished steps.
 */
export function renderLocalInstall(input: LocalInstallInput): LocalRenderResult {
  const v: LocalInstallValues = parse(localInstallInputSchema, input);
  const layout = localLayout(v);
  const values: Record<string, Value> = {
    CC_INSTANCE_ID: v.instanceId,
    CC_SERVER_URL: v.serverUrl,
    CC_REGISTRATION_TOKEN: v.registrationToken,
    CC_AGENT_BUNDLE_URL: v.agentBundleUrl,
    CC_AGENT_BUNDLE_SHA256: v.agentBundleSha256,
    CC_OPENCLAW_VERSION: v.openclawVersion,
    CC_NPM_REGISTRY: v.mirrors?.npmRegistry ?? "",
    CC_INSTALL_DIR: v.installDir,
    CC_NODE: v.nodePath,
    CC_NPM_CLI: v.npmCliPath,
    CC_NPM_CACHE: v.npmCacheDir ?? "",
    CC_GATEWAY_PORT: v.gatewayPort,
  };
  const text = replaceOnce(LOCAL_SCRIPT_TEMPLATE, "@@VALUES@@", valuesBlock(values));
  return { script: text, bytes: Buffer.byteLength(text, "utf8"), layout };
}
