// Runs a local instance's install script (packages/bootstrap renderLocalInstall) as a child:
// `bash <file>` with an argument array and a clean environment, in its own process group (so a
// delete mid-install stops npm too). Its "clawcloud-step:" lines are reported as they come; all of
// its output is appended to a log file.
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import { PASSTHROUGH_ENV, parseStepLine, type StepEvent } from "@clawcloud/bootstrap";
import { killGroup } from "./pids.ts";

export interface InstallRun {
  pid: number | undefined;
  /** Resolves when the script ends: its exit code, and the last failure it reported. */
  done: Promise<InstallResult>;
  kill(): void;
}

/** The script's environment: a plain PATH, the locale, and the proxy/CA settings only. */
export function installEnv(env: Record<string, string | undefined> = process.env): Record<string, string> {
  const out: Record<string, string> = { PATH: "/usr/local/bin:/usr/bin:/bin", LANG: "C.UTF-8" };
  for (const name of PASSTHROUGH_ENV) {
    const value = env[name];
    if (value) out[name] = value;
  }
  return out;
}

export interface InstallResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  failure: StepEvent | undefined;
  stderr: string;
}

export function runInstall(o: { scriptFile: string; cwd: string; logFile: string; onStep: (e: StepEvent) => void }): InstallRun {
  const log = createWriteStream(o.logFile, { flags: "a", mode: 0o600 });
  const child = spawn("bash", [o.scriptFile], {
    cwd: o.cwd,
    env: installEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let failure: StepEvent | undefined;
  let stderr = "";
  createInterface({ input: child.stdout }).on("line", (line) => {
    log.write(`${line}\n`);
    const e = parseStepLine(line);
    if (!e) return;
    if (e.status === "failed") failure = e;
    o.onStep(e);
  });
  child.stderr.on("data", (d: Buffer) => {
    log.write(d);
    stderr = (stderr + d.toString("utf8")).slice(-4000);
  });
  const done = new Promise<InstallResult>((resolve) => {
    child.once("error", (err) => {
      stderr += String(err.message);
    });
    child.once("close", (code, signal) => {
      log.end();
      resolve({ code, signal, failure, stderr });
    });
  });
  return {
    pid: child.pid,
    done,
    kill: () => {
      if (child.pid && child.exitCode === null) killGroup(child.pid, "SIGKILL");
    },
  };
}
