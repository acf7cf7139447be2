// The hand-over to a staged bundle, run by the OLD agent after it has closed its own connection:
// it starts the new bundle as a trial (`--trial <file>`: the real agent with the real config and
// credential, which writes the file and exits once it is welcomed and has sent a heartbeat).
// Only a trial that proves itself is swapped in (one rename); anything else — a crash at start, no
// connection within the deadline — leaves the old bundle in place and the reason in the result
// file, which the old agent reports when the server asks again. Either way the agent then exits
// with EXIT_RESTART and the service manager starts whichever bundle is current.
//
// The old, known-good code is the watchdog here; a new bundle that cannot start can therefore
// never replace it.
import { spawn } from "node:child_process";
import { copyFile, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { Logger } from "../log.ts";
import { type BundleFiles, writeHandoverResult } from "./bundle-files.ts";

export interface HandoverInput {
  files: BundleFiles;
  nodePath: string;
  configPath: string;
  operation: string;
  version: string;
  log: Logger;
  /** How long the trial may take to connect and send its first heartbeat. */
  trialTimeoutMs: number;
}

export type HandoverOutcome = { swapped: true } | { swapped: false; reason: string };

export const trialMark = (version: string) => `ok ${version}\n`;

export async function handover(o: HandoverInput): Promise<HandoverOutcome> {
  const { files, log } = o;
  await rm(files.trial, { force: true });
  const trial = await runTrial(o);
  const marked = await readFile(files.trial, "utf8").catch(() => "");
  await rm(files.trial, { force: true });
  if (trial.ok && marked === trialMark(o.version)) {
    await copyFile(files.current, files.previous);
    await rename(files.next, files.current);
    await syncDir(dirname(files.current));
    log.info("agent_update_swapped", { version: o.version, previous: files.previous });
    return { swapped: true };
  }
  const reason = trial.ok ? "the new agent stopped without confirming its connection" : trial.reason;
  await rm(files.next, { force: true });
  await writeHandoverResult(files.result, {
    operation: o.operation,
    version: o.version,
    status: "failed",
    reason,
    at: new Date().toISOString(),
  });
  log.warn("agent_update_trial_failed", { version: o.version, reason });
  return { swapped: false, reason };
}

function runTrial(o: HandoverInput): Promise<{ ok: true } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    // The trial's log lines go where ours go (the journal, or the local provider's agent log).
    const child = spawn(o.nodePath, [o.files.next, "--config", o.configPath, "--trial", o.files.trial], {
      stdio: ["ignore", "inherit", "inherit"],
      env: process.env,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    }, o.trialTimeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `the new agent could not be started: ${err.message}` });
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) resolve({ ok: false, reason: `the new agent did not connect within ${Math.round(o.trialTimeoutMs / 1000)} s` });
      else if (code === 0) resolve({ ok: true });
      else
        resolve({
          ok: false,
          reason: `the new agent exited with ${code === null ? `signal ${signal}` : `code ${code}`} before it connected`,
        });
    });
  });
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
