// The one way the agent runs OpenClaw's CLI (and npm, for an exact reinstall): model.set, backup,
// update and restore all come through here. It runs as the user that owns OpenClaw's state: on a
// server (`systemd`) the openclaw user through the sudo rule the bootstrap installed; with the
// local provider (`external`) the agent already is that user. Every process is spawned from an
// argument array (never a shell string) with a fixed environment: OpenClaw's HOME and state
// directory, a PATH that finds this Node first, and of the agent's own environment only the
// proxy/CA settings. Secrets go in on stdin, never on a command line or in the environment.
import { type ExecFileException, execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { pickPassthroughEnv } from "@clawcloud/contracts";
import { CommandError } from "./commands/command.ts";
import type { AgentConfig } from "./config.ts";

/** Output kept per stream; a process that writes more is stopped (and its result says so). */
export const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

export interface RunResult {
  /** The exit code; 1 when the process could not start, timed out, was aborted or wrote too much. */
  code: number;
  stdout: string;
  /** The process's stderr, plus a line saying why it was stopped when it did not simply exit. */
  stderr: string;
}

export interface RunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Written to the process's stdin, which is then closed (without it, closed at once). */
  stdin?: string;
}

export interface OpenclawRunner {
  readonly home: string;
  readonly stateDir: string;
  readonly prefix: string;
  /** `openclaw <args>` as the user that owns OpenClaw's state; `env` overrides (e.g. an empty HOME). */
  cli(args: string[], o: RunOptions & { env?: Record<string, string> }): Promise<RunResult>;
  /** `npm <args>` with OpenClaw's environment (for an exact reinstall). */
  npm(args: string[], o: RunOptions): Promise<RunResult>;
}

/** Runs `cmd args` with exactly `env`. Never rejects: every failure is a non-zero code and a reason. */
export function runProcess(cmd: string, args: string[], env: Record<string, string>, o: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { env, timeout: o.timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, signal: o.signal, killSignal: "SIGTERM" },
      (err, stdout, stderr) => {
        if (!err) return resolve({ code: 0, stdout, stderr });
        const why = stoppedBecause(basename(cmd), err, o.timeoutMs);
        resolve({
          code: typeof err.code === "number" ? err.code : 1,
          stdout,
          stderr: why ? [stderr.trimEnd(), why].filter(Boolean).join("\n") : stderr,
        });
      },
    );
    // A process that exits without reading its input must not take the agent down with EPIPE.
    child.stdin?.on("error", () => {});
    child.stdin?.end(o.stdin ?? "");
  });
}

/** Why a process did not simply exit; "" when it did. Never the command line (the environment is on it under sudo). */
function stoppedBecause(name: string, err: ExecFileException, timeoutMs: number): string {
  if (err.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") return `${name} was stopped: more than ${MAX_OUTPUT_BYTES} bytes of output`;
  if (err.name === "AbortError") return `${name} was stopped: the agent is stopping`;
  if (err.killed) return `${name} was stopped after ${Math.round(timeoutMs / 1000)} s (timeout)`;
  if (err.signal) return `${name} was killed by ${err.signal}`;
  if (typeof err.code === "string") return `${name} could not be started (${err.code})`;
  return "";
}

export function createOpenclawRunner(config: AgentConfig): OpenclawRunner {
  const bin = config.openclawBin;
  const home = config.openclawHome;
  if (!bin || !home)
    throw new CommandError("NOT_CONFIGURED", "this agent's config names no OpenClaw install (openclaw.bin and openclaw.home)");
  const prefix = dirname(dirname(bin));
  const stateDir = join(home, ".openclaw");
  const systemd = config.supervisor === "systemd";
  const nodeDir = dirname(process.execPath);
  const baseEnv = (): Record<string, string> => {
    const env: Record<string, string> = {
      ...pickPassthroughEnv(process.env),
      HOME: home,
      OPENCLAW_STATE_DIR: stateDir,
      LANG: "C.UTF-8",
      // Plain text: reasons are cut from this output and shown to people.
      NO_COLOR: "1",
      // The updater runs npm: a shim directory puts `npm` (this Node + npm-cli.js) first. This
      // Node's directory comes before the system's, so `#!/usr/bin/env node` finds ours.
      PATH: [config.npmCli ? join(config.stateDir, "bin") : "", join(prefix, "bin"), nodeDir, "/usr/local/bin", "/usr/bin", "/bin"]
        .filter(Boolean)
        .join(":"),
      // The updater's npm installs globally: into this install's prefix, not npm's default.
      npm_config_prefix: prefix,
      OPENCLAW_SERVICE_REPAIR_POLICY: "external",
      OPENCLAW_NO_AUTO_UPDATE: "1",
    };
    if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
    return env;
  };
  // sudo resets the environment: under systemd it is handed over through /usr/bin/env.
  const asOwner = (cmd: string, args: string[], env: Record<string, string>, o: RunOptions) =>
    systemd
      ? runProcess(
          "/usr/bin/sudo",
          ["-n", "-u", "openclaw", "/usr/bin/env", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), cmd, ...args],
          {},
          o,
        )
      : runProcess(cmd, args, env, o);

  const ensureNpmShim = async () => {
    if (!config.npmCli) return;
    const dir = join(config.stateDir, "bin");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // Paths only (from the config file), each single-quoted for sh.
    const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
    await writeFile(join(dir, "npm"), `#!/bin/sh\nexec ${q(process.execPath)} ${q(config.npmCli)} "$@"\n`, { mode: 0o700 });
  };

  return {
    home,
    stateDir,
    prefix,
    async cli(args, o) {
      await ensureNpmShim();
      return asOwner(bin, args, { ...baseEnv(), ...o.env }, o);
    },
    async npm(args, o) {
      if (!config.npmCli) {
        if (systemd) return asOwner("/opt/node/bin/npm", args, baseEnv(), o);
        throw new CommandError("NOT_CONFIGURED", "this agent's config names no npm (npmCli)");
      }
      return asOwner(process.execPath, [config.npmCli, ...args], baseEnv(), o);
    },
  };
}
