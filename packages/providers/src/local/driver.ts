// The `local` provider: "deploy to this machine". ComputeProviderV1's semantics where they apply,
// with a directory for a server: create writes the rendered install script into
// <baseDir>/<instanceId> and runs it, then runs OpenClaw's gateway and the agent as supervised
// children; delete stops them and removes the directory; find-by-tag lists the directories.
// It knows nothing of the database: steps and failures go to the callbacks.
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { type LocalLayout, localLayout, type StepEvent } from "@clawcloud/bootstrap";
import { INSTANCE_ID_PATTERN } from "../common.ts";
import type { Server } from "../spec.ts";
import { runInstall } from "./install.ts";
import { adjustAgentConfig, type InstanceMeta, type InstancePaths, instancePaths, makeInstanceDir, readMeta } from "./instance-dir.ts";
import { stopRecorded } from "./pids.ts";
import { type Supervised, type SupervisorOptions, supervise } from "./supervisor.ts";
import { freeLoopbackPort, resolveNode, resolveNpmCli } from "./toolchain.ts";

/** What the install script is rendered with (the rest — token, URLs, version — the caller knows). */
export interface LocalRenderContext {
  installDir: string;
  gatewayPort: number;
  nodePath: string;
  npmCliPath: string;
  npmCacheDir?: string;
}

export interface LocalCreateInput {
  instanceId: string;
  /** renderLocalInstall() with the caller's values; only the script is used. */
  render: (ctx: LocalRenderContext) => { script: string };
}

export interface LocalDriverOptions {
  /** <dataDir>/instances */
  baseDir: string;
  /** An npm cache shared by the installs (a warm one makes installing OpenClaw much faster). */
  npmCacheDir?: string;
  /** The server's current address for the agents, written into their config on every start. */
  serverUrl?: () => string | undefined;
  onStep?: (instanceId: string, e: StepEvent) => void;
  onInstallFailed?: (instanceId: string, message: string) => void;
  onProcessExit?: (instanceId: string, name: string, info: { code: number | null; signal: string | null; restartInMs: number }) => void;
  /** Tests: the processes to run instead of OpenClaw's gateway and the agent. */
  layout?: (input: { installDir: string; nodePath: string; gatewayPort: number }) => LocalLayout;
  /** Tests: shorter restart backoff and stop grace. */
  timings?: Pick<SupervisorOptions, "minBackoffMs" | "maxBackoffMs" | "stableMs" | "stopGraceMs">;
}

interface Entry {
  stopped: boolean;
  installing: boolean;
  kill?: () => void;
  runner: Promise<void>;
  procs: Supervised[];
}

export function createLocalDriver(o: LocalDriverOptions) {
  const entries = new Map<string, Entry>();
  const grace = o.timings?.stopGraceMs ?? 8000;
  const paths = (id: string) => {
    // The tag rules: letters, digits, "_" and "-" only, so never a path outside baseDir.
    if (!INSTANCE_ID_PATTERN.test(id)) throw new Error(`"${id.slice(0, 80)}" is not an instance id`);
    return instancePaths(o.baseDir, id);
  };
  const layoutOf = (p: InstancePaths, meta: InstanceMeta) =>
    (o.layout ?? localLayout)({ installDir: p.dir, nodePath: meta.nodePath, gatewayPort: meta.gatewayPort });

  const server = (id: string): Server | undefined => {
    const p = instancePaths(o.baseDir, id);
    if (!existsSync(p.dir)) return undefined;
    const e = entries.get(id);
    const status = e?.installing ? "creating" : e?.procs.some((s) => s.pid()) ? "running" : "off";
    return { id, instanceId: id, name: id, status, region: "local", size: "local", ipv4: "127.0.0.1" };
  };

  /** Installs (unless done), then starts the gateway and the agent; in the background. */
  const launch = (id: string, p: InstancePaths, meta: InstanceMeta) => {
    const e: Entry = { stopped: false, installing: false, procs: [], runner: Promise.resolve() };
    entries.set(id, e);
    e.runner = (async () => {
      const layout = layoutOf(p, meta);
      if (!existsSync(p.installed)) {
        e.installing = true;
        const run = runInstall({ scriptFile: p.script, cwd: p.dir, logFile: p.installLog, onStep: (s) => o.onStep?.(id, s) });
        e.kill = run.kill;
        if (run.pid) writeFileSync(p.installPid, `${run.pid}\n`, { mode: 0o600 });
        const result = await run.done;
        e.installing = false;
        rmSync(p.installPid, { force: true });
        if (e.stopped) return;
        if (result.code !== 0) {
          const why = result.failure
            ? `${result.failure.step}: ${result.failure.message || "failed"}`
            : result.signal
              ? `the install script, which was stopped (${result.signal})`
              : `the install script, which exited with ${result.code}: ${result.stderr.trim().split("\n").pop() ?? ""}`;
          o.onInstallFailed?.(id, `Installing on this machine failed at ${why} (log: ${layout.logFile})`);
          return;
        }
        writeFileSync(p.installed, `${new Date().toISOString()}\n`, { mode: 0o600 });
      }
      adjustAgentConfig(layout.agentConfig, o.serverUrl?.(), {
        gatewayPidFile: p.gatewayPid,
        gatewayHoldFile: p.gatewayHold,
        npmCli: resolveNpmCli(),
      });
      const child = (name: string, spec: LocalLayout["gateway"], logFile: string, pidFile: string, holdFile?: string) =>
        supervise({ name, spec, logFile, pidFile, holdFile, ...o.timings, onExit: (info) => o.onProcessExit?.(id, name, info) });
      if (e.stopped) return;
      // A hold left by an agent that died mid-update must not keep the gateway down for good.
      rmSync(p.gatewayHold, { force: true });
      e.procs.push(child("gateway", layout.gateway, p.gatewayLog, p.gatewayPid, p.gatewayHold));
      e.procs.push(child("agent", layout.agent, p.agentLog, p.agentPid));
    })().catch((err: unknown) => {
      e.installing = false;
      if (!e.stopped) o.onInstallFailed?.(id, `Starting on this machine failed: ${(err as Error).message}`);
    });
  };

  /** Stops what runs for the instance, including what a previous server process left behind. */
  const stop = async (id: string) => {
    const p = instancePaths(o.baseDir, id);
    const e = entries.get(id);
    if (e) {
      e.stopped = true;
      e.kill?.();
      await e.runner;
      await Promise.all(e.procs.map((s) => s.stop()));
      entries.delete(id);
    }
    await Promise.all([p.installPid, p.gatewayPid, p.agentPid].map((f) => stopRecorded(f, p.dir, grace)));
  };

  /** Makes it run: nothing when it already does here; else left-overs are stopped and it is launched. */
  const resume = async (id: string): Promise<boolean> => {
    const p = paths(id);
    const meta = readMeta(p);
    if (!meta || !existsSync(p.script)) return false;
    if (entries.has(id)) return true;
    await stop(id);
    launch(id, p, meta);
    return true;
  };

  return {
    id: "local" as const,
    version: 1 as const,
    /** Idempotent: an instance whose directory exists is resumed, not installed again. */
    async createServer(input: LocalCreateInput): Promise<Server> {
      const p = paths(input.instanceId);
      if (!(await resume(input.instanceId))) {
        const nodePath = resolveNode();
        const npmCliPath = resolveNpmCli();
        const gatewayPort = await freeLoopbackPort();
        const { script } = input.render({
          installDir: p.dir,
          gatewayPort,
          nodePath,
          npmCliPath,
          ...(o.npmCacheDir ? { npmCacheDir: o.npmCacheDir } : {}),
        });
        makeInstanceDir(p);
        writeFileSync(p.script, script, { mode: 0o700 });
        const meta: InstanceMeta = { instanceId: input.instanceId, gatewayPort, nodePath, createdAt: new Date().toISOString() };
        writeFileSync(p.meta, `${JSON.stringify(meta, null, 2)}\n`, { mode: 0o600 });
        launch(input.instanceId, p, meta);
      }
      return server(input.instanceId) as Server;
    },
    async getServer(instanceId: string): Promise<Server | undefined> {
      paths(instanceId);
      return server(instanceId);
    },
    async findServersByTag(instanceId?: string): Promise<Server[]> {
      if (instanceId) return [server(instanceId)].filter((s): s is Server => !!s);
      if (!existsSync(o.baseDir)) return [];
      return readdirSync(o.baseDir)
        .filter((name) => INSTANCE_ID_PATTERN.test(name))
        .map((name) => server(name))
        .filter((s): s is Server => !!s);
    },
    /** Stops the processes (SIGTERM, then SIGKILL) and removes the directory. Gone already is fine. */
    async deleteServer(instanceId: string): Promise<void> {
      const p = paths(instanceId);
      await stop(instanceId);
      rmSync(p.dir, { recursive: true, force: true });
    },
    async reboot(instanceId: string): Promise<void> {
      paths(instanceId);
      await stop(instanceId);
      await resume(instanceId);
    },
    /** Relaunches an instance whose processes do not run here (after a restart of the server). */
    resume,
    /** Stops the processes, keeps the directory (a failed deploy kept for inspection). */
    async stop(instanceId: string): Promise<void> {
      paths(instanceId);
      await stop(instanceId);
    },
    /** Whether the gateway and the agent run under this process's supervision. */
    running: (instanceId: string) => server(instanceId)?.status === "running",
    /** Stops every instance's processes (server shutdown); the directories stay for the next start. */
    async close(): Promise<void> {
      await Promise.all([...entries.keys()].map((id) => stop(id)));
    },
  };
}

export type LocalDriver = ReturnType<typeof createLocalDriver>;
