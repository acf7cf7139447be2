// A local instance's directory, <baseDir>/<instanceId>: the install script's installDir (OpenClaw,
// its HOME, the agent, bootstrap.log, progress.jsonl) plus the driver's own files: instance.json
// (the gateway port and Node it was installed with), install.sh, the `installed` marker, logs/
// and run/ (pid files). It exists from create to delete: "found by tag" means it exists.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface InstanceMeta {
  instanceId: string;
  gatewayPort: number;
  nodePath: string;
  createdAt: string;
}

export function instancePaths(baseDir: string, instanceId: string) {
  const dir = join(baseDir, instanceId);
  return {
    dir,
    meta: join(dir, "instance.json"),
    script: join(dir, "install.sh"),
    installed: join(dir, "installed"),
    logs: join(dir, "logs"),
    installLog: join(dir, "logs", "install.log"),
    gatewayLog: join(dir, "logs", "gateway.log"),
    agentLog: join(dir, "logs", "agent.log"),
    run: join(dir, "run"),
    installPid: join(dir, "run", "install.pid"),
    gatewayPid: join(dir, "run", "gateway.pid"),
    gatewayHold: join(dir, "run", "gateway.hold"),
    agentPid: join(dir, "run", "agent.pid"),
  };
}
export type InstancePaths = ReturnType<typeof instancePaths>;

export function makeInstanceDir(p: InstancePaths): void {
  mkdirSync(p.dir, { recursive: true, mode: 0o700 });
  mkdirSync(p.logs, { recursive: true, mode: 0o700 });
  mkdirSync(p.run, { recursive: true, mode: 0o700 });
}

export function writeFileAtomic(path: string, text: string, mode: number): void {
  writeFileSync(`${path}.tmp`, text, { mode });
  renameSync(`${path}.tmp`, path);
}

export function readMeta(p: InstancePaths): InstanceMeta | undefined {
  if (!existsSync(p.meta)) return undefined;
  try {
    const m = JSON.parse(readFileSync(p.meta, "utf8")) as InstanceMeta;
    return typeof m.gatewayPort === "number" && typeof m.nodePath === "string" ? m : undefined;
  } catch {
    return undefined;
  }
}

/**
 * After the install: the agent's config no longer names the progress file (this driver reported
 * those steps live, as they happened; the agent would report them all again), and it dials
 * `serverUrl` — this server's address now, which may have changed since the install (a restart
 * on another port).
 */
export function adjustAgentConfig(
  configFile: string,
  serverUrl: string | undefined,
  control?: { gatewayPidFile: string; gatewayHoldFile: string; npmCli: string },
): void {
  if (!existsSync(configFile)) return;
  const config = JSON.parse(readFileSync(configFile, "utf8")) as Record<string, unknown>;
  const before = JSON.stringify(config);
  delete config.bootstrapProgressFile;
  if (serverUrl) config.serverUrl = serverUrl;
  // How the agent holds the gateway down around an update (supervisor.ts) and reinstalls OpenClaw.
  if (control) Object.assign(config, control);
  const after = JSON.stringify(config, null, 2);
  if (after !== JSON.stringify(JSON.parse(before), null, 2)) writeFileAtomic(configFile, `${after}\n`, 0o600);
}
