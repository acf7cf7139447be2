// Forwards bootstrap progress to the server, when the config names a progress file (opt-in): a
// bootstrap that starts the agent early appends one JSON line per step to it:
//   {"name":"openclaw-install","status":"start"}
//   {"name":"openclaw-install","status":"ok","message":"openclaw 2026.9.6"}
// The agent tails that file and sends each line as an `event`. It stops after the line
// {"name":"bootstrap","status":"ok"|"failed"}. What it has forwarded is remembered in the state
// directory, so a restart does not repeat it.
import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "./atomic-file.ts";
import { sleep } from "./backoff.ts";
import type { Logger } from "./log.ts";

export const PROGRESS_STATE_FILE = "bootstrap-progress.state.json";
const MAX_READ = 256 * 1024;

export const progressLineSchema = z.object({
  name: z.string().min(1).max(64),
  status: z.enum(["start", "ok", "failed"]),
  message: z.string().optional(),
});
export type ProgressLine = z.infer<typeof progressLineSchema>;

const stateSchema = z.object({ offset: z.number().int().nonnegative(), finished: z.boolean() });

export async function tailBootstrapProgress(opts: {
  file: string;
  stateDir: string;
  pollMs: number;
  log: Logger;
  signal: AbortSignal;
  onLine(line: ProgressLine): void;
}): Promise<void> {
  const statePath = join(opts.stateDir, PROGRESS_STATE_FILE);
  let state = await readFile(statePath, "utf8")
    .then((text) => stateSchema.parse(JSON.parse(text)))
    .catch(() => ({ offset: 0, finished: false }));

  while (!opts.signal.aborted && !state.finished) {
    const chunk = await readFrom(opts.file, state.offset);
    const end = chunk.lastIndexOf("\n");
    if (end < 0 && chunk.length === MAX_READ) {
      opts.log.warn("bootstrap_progress_line_too_long");
      state = { offset: state.offset + chunk.length, finished: false };
    } else if (end >= 0) {
      const complete = chunk.subarray(0, end + 1);
      let finished = false;
      for (const text of complete.toString("utf8").split("\n")) {
        if (!text.trim()) continue;
        const line = parseLine(text);
        if (!line) {
          opts.log.warn("bootstrap_progress_line_invalid");
          continue;
        }
        opts.onLine(line);
        if (line.name === "bootstrap" && line.status !== "start") finished = true;
      }
      state = { offset: state.offset + complete.length, finished };
      await writeFileAtomic(statePath, JSON.stringify(state), 0o600).catch((err: unknown) =>
        opts.log.warn("bootstrap_progress_state_unwritable", { error: String(err) }),
      );
    }
    if (!state.finished) await sleep(opts.pollMs, opts.signal);
  }
}

function parseLine(text: string): ProgressLine | undefined {
  try {
    const parsed = progressLineSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function readFrom(path: string, offset: number): Promise<Buffer> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(path, "r");
    const buffer = Buffer.alloc(MAX_READ);
    const { bytesRead } = await fh.read(buffer, 0, MAX_READ, offset);
    return buffer.subarray(0, bytesRead);
  } catch {
    return Buffer.alloc(0); // not there yet
  } finally {
    await fh?.close();
  }
}
