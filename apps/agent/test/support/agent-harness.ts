// Runs the agent in-process against a fake server, with a temporary state directory, a config
// file on disk and a logger that captures every line.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningAgent, startAgent } from "../../src/agent.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/log.ts";

export const INSTANCE_ID = "ins_01jd0000000000000000000000";

/** Timings short enough for tests. */
export const FAST_TUNING = {
  reconnectMinDelayMs: 10,
  reconnectMaxDelayMs: 80,
  stableConnectionMs: 60_000,
  keepaliveIntervalMs: 5_000,
  welcomeTimeoutMs: 2_000,
  handshakeTimeoutMs: 2_000,
  registerTimeoutMs: 2_000,
  gatewayTimeoutMs: 500,
  progressPollMs: 20,
};

export interface Harness {
  dir: string;
  stateDir: string;
  configPath: string;
  lines: string[];
  logs(): Array<Record<string, unknown>>;
  writeConfig(config: Record<string, unknown>): Promise<void>;
  start(): Promise<RunningAgent>;
  cleanup(): Promise<void>;
}

export async function createHarness(): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), "clawcloud-agent-test-"));
  const stateDir = join(dir, "state");
  const configPath = join(dir, "config.json");
  const lines: string[] = [];
  const running: RunningAgent[] = [];
  return {
    dir,
    stateDir,
    configPath,
    lines,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    async writeConfig(config) {
      await writeFile(configPath, JSON.stringify({ instanceId: INSTANCE_ID, stateDir, tuning: FAST_TUNING, ...config }), { mode: 0o600 });
    },
    async start() {
      const { config } = await loadConfig(configPath);
      const agent = startAgent(config, createLogger({ write: (line) => lines.push(line.trimEnd()), level: "debug" }));
      running.push(agent);
      return agent;
    },
    async cleanup() {
      await Promise.all(running.map((a) => a.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
