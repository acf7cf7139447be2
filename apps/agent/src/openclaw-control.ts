// Stops and starts OpenClaw's gateway around updates, backups and restores, on top of the one
// CLI runner (openclaw-runner.ts). Two supervisors: `systemd` on servers (the gateway is a system
// unit; the agent may only start and stop it, see bootstrap's sudoers file) and `external`, the
// local provider's supervisor, which keeps the gateway down while a hold file exists.
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CommandError } from "./commands/command.ts";
import type { AgentConfig } from "./config.ts";
import { createOpenclawRunner, type OpenclawRunner, type RunResult, runProcess } from "./openclaw-runner.ts";

const SYSTEMD_UNIT = "openclaw-gateway.service";

export interface OpenclawControl extends OpenclawRunner {
  readonly backupDir: string;
  stopGateway(): Promise<void>;
  startGateway(): Promise<void>;
}

export function createOpenclawControl(config: AgentConfig): OpenclawControl {
  const runner = createOpenclawRunner(config);
  const backupDir = config.backupDir ?? join(config.stateDir, "backups");
  const systemd = config.supervisor === "systemd";

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
    ...runner,
    backupDir,
    async stopGateway() {
      if (systemd) {
        const r = await runProcess("/usr/bin/sudo", ["-n", "/usr/bin/systemctl", "stop", SYSTEMD_UNIT], {}, { timeoutMs: 360_000 });
        if (r.code !== 0)
          throw new CommandError("GATEWAY_STOP_FAILED", `systemctl stop failed: ${r.stderr.trim().slice(0, 300) || `exit ${r.code}`}`);
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
        const r = await runProcess("/usr/bin/sudo", ["-n", "/usr/bin/systemctl", "start", SYSTEMD_UNIT], {}, { timeoutMs: 120_000 });
        if (r.code !== 0)
          throw new CommandError("GATEWAY_START_FAILED", `systemctl start failed: ${r.stderr.trim().slice(0, 300) || `exit ${r.code}`}`);
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
