// Runs OpenClaw's CLI on this instance, as the user OpenClaw runs as: on a server (systemd) that
// is the `openclaw` user through the narrow sudo rule the bootstrap installed; on this machine
// (`local` provider) the agent already runs as that user with OpenClaw's HOME. Arguments are an
// array (no shell); secrets go in on stdin, never on a command line.
import { spawn } from "node:child_process";
import { realpathSync } from "node:fs";
import type { AgentConfig } from "./config.ts";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const MAX_OUTPUT = 256 * 1024;

export function runOpenclaw(
  config: AgentConfig,
  args: string[],
  opts: { stdin?: string; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<CliResult> {
  if (!config.openclawBin) return Promise.reject(new Error("the agent's config names no OpenClaw executable (openclaw.bin)"));
  // The bin is a symlink to a script whose `#!/usr/bin/env node` may find another Node: run it with ours.
  const script = realpathSync(config.openclawBin);
  const [command, argv] =
    config.supervisor === "systemd"
      ? ["/usr/bin/sudo", ["-n", "-u", "openclaw", "-H", "--", process.execPath, script, ...args]]
      : [process.execPath, [script, ...args]];
  const env = {
    ...process.env,
    ...(config.openclawHome && config.supervisor !== "systemd" ? { HOME: config.openclawHome } : {}),
    NO_COLOR: "1",
  };
  return new Promise<CliResult>((resolve, reject) => {
    const child = spawn(command, argv, { env, stdio: ["pipe", "pipe", "pipe"], signal: opts.signal, timeout: opts.timeoutMs ?? 120_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += d.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? "");
  });
}
