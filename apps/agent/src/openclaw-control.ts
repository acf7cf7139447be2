// Runs OpenClaw's CLI and stops/starts its gateway, for updates, backups and restores. Two
// supervisors: `systemd` on servers (the gateway is a system unit; the agent may only start and
// stop it and run the CLI as the openclaw user, see bootstrap's sudoers file) and `external`, the
// local provider's supervisor, which keeps the gateway down while a hold file exists. Every
// process is spawned from an argument array; nothing is built into a shell string.
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CommandError } from "./commands/command.ts";
import type { AgentConfig } from "./config.ts";

const PASS_ENV = [
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
];
const SYSTEMD_UNIT = "openclaw-gateway.service";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface OpenclawControl {
  readonly home: string;
  readonly stateDir: string;
  readonly backupDir: string;
  readonly prefix: string;
  /** `openclaw <args>` as the user that owns OpenClaw's state; `env` overrides (e.g. an empty HOME). */
  cli(args: string[], o: { timeoutMs: number; env?: Record<string, string>; signal?: AbortSignal }): Promise<RunResult>;
  /** `npm <args>` with OpenClaw's environment (for an exact reinstall). */
  npm(args: string[], o: { timeoutMs: number; signal?: AbortSignal }): Promise<RunResult>;
  stopGateway(): Promise<void>;
  startGateway(): Promise<void>;
}

function run(cmd: string, args: string[], env: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024, signal, killSignal: "SIGTERM" }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || (err && !stderr ? err.message : "")) });
    });
  });
}

export function createOpenclawControl(config: AgentConfig): OpenclawControl {
  const bin = config.openclawBin;
  const home = config.openclawHome;
  if (!bin || !home)
    throw new CommandError("NOT_CONFIGURED", "this agent's config names no OpenClaw install (openclaw.bin and openclaw.home)");
  const prefix = dirname(dirname(bin));
  const stateDir = join(home, ".openclaw");
  const backupDir = config.backupDir ?? join(config.stateDir, "backups");
  const systemd = config.supervisor === "systemd";
  const nodeDir = dirname(process.execPath);
  const baseEnv = (): Record<string, string> => {
    const env: Record<string, string> = {
      HOME: home,
      OPENCLAW_STATE_DIR: stateDir,
      LANG: "C.UTF-8",
      // The updater runs npm: a shim directory puts `npm` (this Node + npm-cli.js) first.
      PATH: [config.npmCli ? join(config.stateDir, "bin") : "", join(prefix, "bin"), nodeDir, "/usr/local/bin", "/usr/bin", "/bin"]
        .filter(Boolean)
        .join(":"),
      // The updater's npm installs globally: into this install's prefix, not npm's default.
      npm_config_prefix: prefix,
      OPENCLAW_SERVICE_REPAIR_POLICY: "external",
      OPENCLAW_NO_AUTO_UPDATE: "1",
    };
    if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
    for (const k of PASS_ENV) if (process.env[k]) env[k] = process.env[k] as string;
    return env;
  };
  const asOwner = (cmd: string, args: string[], env: Record<string, string>, timeoutMs: number, signal?: AbortSignal) =>
    systemd
      ? run(
          "/usr/bin/sudo",
          ["-n", "-u", "openclaw", "/usr/bin/env", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), cmd, ...args],
          {},
          timeoutMs,
          signal,
        )
      : run(cmd, args, env, timeoutMs, signal);

  const ensureNpmShim = async () => {
    if (!config.npmCli) return;
    const dir = join(config.stateDir, "bin");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // Paths only (from the config file), each single-quoted for sh.
    const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
    await writeFile(join(dir, "npm"), `#!/bin/sh\nexec ${q(process.execPath)} ${q(config.npmCli)} "$@"\n`, { mode: 0o700 });
  };

  const gatewayPid = async (): Promise<number | undefined> => {
    if (!config.gatewayPidFile) return undefined;
    const pid = Number((await readFile(config.gatewayPidFile, "utf8").catch(() => "")).trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  };
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signalGroup = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  };

  return {
    home,
    stateDir,
    backupDir,
    prefix,
    async cli(args, o) {
      await ensureNpmShim();
      return asOwner(bin, args, { ...baseEnv(), ...o.env }, o.timeoutMs, o.signal);
    },
    async npm(args, o) {
      if (!config.npmCli) {
        if (systemd) return asOwner("/opt/node/bin/npm", args, baseEnv(), o.timeoutMs, o.signal);
        throw new CommandError("NOT_CONFIGURED", "this agent's config names no npm (npmCli)");
      }
      return asOwner(process.execPath, [config.npmCli, ...args], baseEnv(), o.timeoutMs, o.signal);
    },
    async stopGateway() {
      if (systemd) {
        const r = await run("/usr/bin/sudo", ["-n", "/usr/bin/systemctl", "stop", SYSTEMD_UNIT], {}, 360_000);
        if (r.code !== 0) throw new CommandError("GATEWAY_STOP_FAILED", `systemctl stop failed: ${r.stderr.trim().slice(0, 300)}`);
        return;
      }
      if (!config.gatewayHoldFile) throw new CommandError("NOT_CONFIGURED", "this agent's config names no gateway hold file");
      await writeFile(config.gatewayHoldFile, `${new Date().toISOString()}\n`, { mode: 0o600 });
      const pid = await gatewayPid();
      if (!pid || !alive(pid)) return;
      signalGroup(pid, "SIGTERM");
      const deadline = Date.now() + 30_000;
      while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      if (alive(pid)) signalGroup(pid, "SIGKILL");
    },
    async startGateway() {
      if (systemd) {
        const r = await run("/usr/bin/sudo", ["-n", "/usr/bin/systemctl", "start", SYSTEMD_UNIT], {}, 120_000);
        if (r.code !== 0) throw new CommandError("GATEWAY_START_FAILED", `systemctl start failed: ${r.stderr.trim().slice(0, 300)}`);
        return;
      }
      if (config.gatewayHoldFile) await rm(config.gatewayHoldFile, { force: true });
    },
  };
}

/** The last line of a CLI's output that parses as a JSON object (`--json` prints one result). */
export function lastJson(text: string): Record<string, unknown> | undefined {
  const trimmed = text.trim();
  try {
    const whole = JSON.parse(trimmed);
    if (whole && typeof whole === "object") return whole as Record<string, unknown>;
  } catch {
    // fall through to line by line
  }
  for (const line of trimmed.split("\n").reverse()) {
    try {
      const v = JSON.parse(line);
      if (v && typeof v === "object") return v as Record<string, unknown>;
    } catch {
      // not JSON
    }
  }
  return undefined;
}

/** A short, single-line reason from a failed CLI run (stderr's last lines). */
export const reasonOf = (r: RunResult) =>
  (r.stderr.trim() || r.stdout.trim()).split("\n").slice(-3).join(" ").replace(/\s+/g, " ").slice(0, 400) || `exit ${r.code}`;
