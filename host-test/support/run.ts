// Small process helpers for the host test: commands as argument arrays (never a shell string),
// their output collected, and a phase clock whose figures the test prints.
import { execFile, spawn } from "node:child_process";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never throws for a non-zero exit (the caller decides). */
export function run(cmd: string, args: string[], o: { timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: o.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    if (o.input !== undefined) child.stdin?.end(o.input);
  });
}

/** Runs a command and throws with its output when it fails. */
export async function must(cmd: string, args: string[], o: { timeoutMs?: number } = {}): Promise<string> {
  const r = await run(cmd, args, o);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Runs a long command with its output streamed to a log callback. */
export function stream(cmd: string, args: string[], onLine: (line: string) => void): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    for (const s of [child.stdout, child.stderr]) s.on("data", (d: Buffer) => d.toString().split("\n").filter(Boolean).forEach(onLine));
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, everyMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Wall-clock phases, printed at the end: where the test's (and the deploy's) time goes. */
export class Phases {
  readonly #rows: [string, number][] = [];
  #last = Date.now();
  mark(name: string): void {
    const now = Date.now();
    this.#rows.push([name, (now - this.#last) / 1000]);
    this.#last = now;
  }
  table(): string {
    return this.#rows.map(([n, s]) => `  ${n.padEnd(44)} ${s.toFixed(1).padStart(7)} s`).join("\n");
  }
}
