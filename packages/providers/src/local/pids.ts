// Signalling the processes of a local instance, by the pids it recorded: never by name. A pid
// file can outlive its process (a crash of the server), and the pid can then belong to someone
// else, so a recorded pid is trusted only when /proc says the process works in the instance's
// directory (its working directory or its command line is inside it).
import { readFileSync, readlinkSync } from "node:fs";

/** Signals a process group (the child and what it started); false when none is left. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    try {
      process.kill(pgid, signal); // not a group leader after all
      return true;
    } catch {
      return false;
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a live process `pid` belongs to the instance in `dir`. */
export function belongsTo(pid: number, dir: string): boolean {
  if (!isAlive(pid)) return false;
  const inside = (p: string) => p === dir || p.startsWith(`${dir}/`);
  try {
    if (inside(readlinkSync(`/proc/${pid}/cwd`))) return true;
  } catch {
    // not ours to read, or gone
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").some(inside);
  } catch {
    return false;
  }
}

/** Stops a left-over process group recorded in `pidFile`: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopRecorded(pidFile: string, dir: string, graceMs: number): Promise<boolean> {
  const pid = readPid(pidFile);
  if (!pid || !belongsTo(pid, dir)) return false;
  killGroup(pid, "SIGTERM");
  const end = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  killGroup(pid, "SIGKILL");
  return true;
}
