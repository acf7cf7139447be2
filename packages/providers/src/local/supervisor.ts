// One supervised child process of a local instance (the OpenClaw gateway or the agent): spawned
// from an argument array (never a shell string) with only the environment it is given, its output
// appended to a log file, its pid in a pid file, and restarted with backoff whenever it exits
// until stop() is called. Each child leads its own process group, so stop() also reaches the
// processes it started (OpenClaw's workers): SIGTERM to the group, then SIGKILL after a grace.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, rmSync, writeFileSync } from "node:fs";
import type { SpawnSpec } from "@clawcloud/bootstrap";
import { killGroup } from "./pids.ts";

const HOLD_POLL_MS = 500;

export interface SupervisorOptions {
  name: string;
  spec: SpawnSpec;
  logFile: string;
  pidFile: string;
  /** First restart delay; doubles up to maxBackoffMs. Default 1 s. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A run that lasted this long resets the backoff. Default 60 s. */
  stableMs?: number;
  /** SIGTERM → SIGKILL grace on stop. Default 8 s (OpenClaw's gateway stops in ~4 s). */
  stopGraceMs?: number;
  /** While this file exists an exited child is not restarted (the agent holds the gateway down
   * around an update or a restore); it comes back within a second of the file's removal. */
  holdFile?: string;
  onExit?: (info: { code: number | null; signal: NodeJS.Signals | null; restartInMs: number }) => void;
}

export interface Supervised {
  readonly name: string;
  /** The running child's pid, if one runs now. */
  pid(): number | undefined;
  /** How many times it was (re)started. */
  starts(): number;
  stop(): Promise<void>;
}

export function supervise(o: SupervisorOptions): Supervised {
  const min = o.minBackoffMs ?? 1000;
  const max = o.maxBackoffMs ?? 60_000;
  const stable = o.stableMs ?? 60_000;
  const grace = o.stopGraceMs ?? 8000;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stopped = false;
  let delay = min;
  let timer: NodeJS.Timeout | undefined;
  let count = 0;

  const start = () => {
    timer = undefined;
    if (stopped) return;
    const log = openSync(o.logFile, "a", 0o600);
    const startedAt = Date.now();
    count++;
    try {
      child = spawn(o.spec.command, o.spec.args, {
        cwd: o.spec.cwd,
        env: o.spec.env,
        stdio: ["ignore", log, log],
        detached: true,
      });
    } finally {
      closeSync(log);
    }
    const c = child;
    if (c.pid) writeFileSync(o.pidFile, `${c.pid}\n`, { mode: 0o600 });
    exited = new Promise<void>((resolve) => {
      c.once("error", () => {}); // ENOENT and the like arrive as an exit below
      c.once("close", (code, signal) => {
        if (child === c) child = undefined;
        rmSync(o.pidFile, { force: true });
        if (Date.now() - startedAt >= stable) delay = min;
        const restartInMs = stopped ? -1 : delay;
        o.onExit?.({ code, signal, restartInMs });
        if (!stopped) {
          if (o.holdFile && existsSync(o.holdFile)) {
            delay = min;
            timer = setTimeout(waitForRelease, HOLD_POLL_MS);
          } else {
            timer = setTimeout(start, delay);
            delay = Math.min(max, delay * 2);
          }
        }
        resolve();
      });
    });
  };
  const waitForRelease = () => {
    timer = undefined;
    if (stopped) return;
    if (o.holdFile && existsSync(o.holdFile)) timer = setTimeout(waitForRelease, HOLD_POLL_MS);
    else start();
  };
  start();

  return {
    name: o.name,
    pid: () => child?.pid,
    starts: () => count,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const c = child;
      if (!c?.pid) return exited;
      killGroup(c.pid, "SIGTERM");
      const kill = setTimeout(() => killGroup(c.pid as number, "SIGKILL"), grace);
      await exited;
      clearTimeout(kill);
      // Whatever the group leader left behind.
      killGroup(c.pid, "SIGKILL");
    },
  };
}
