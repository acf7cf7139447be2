// The files of the agent's self-update, next to the running bundle and in the state directory.
// The new bundle is staged beside the current one (same directory, so the swap is one rename),
// and the old one is kept as `previous` for a person to go back to.
import { readFile, rm } from "node:fs/promises";
import { extname, join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../atomic-file.ts";

export interface BundleFiles {
  /** The bundle the service starts (the one running now). */
  current: string;
  /** The downloaded, verified bundle on trial. */
  next: string;
  /** The bundle that ran before the last swap. */
  previous: string;
  /** How the last hand-over ended, for the operation that asked (agent-update.json). */
  result: string;
  /** Written by a trial run once it has connected and sent a heartbeat. */
  trial: string;
}

export function bundleFiles(current: string, stateDir: string): BundleFiles {
  const ext = extname(current);
  const base = ext ? current.slice(0, -ext.length) : current;
  return {
    current,
    next: `${base}.next${ext}`,
    previous: `${base}.previous${ext}`,
    result: join(stateDir, "agent-update.json"),
    trial: join(stateDir, "agent-update-trial"),
  };
}

const handoverResultSchema = z.object({
  operation: z.string(),
  version: z.string(),
  status: z.enum(["failed"]),
  reason: z.string(),
  at: z.string(),
});
export type HandoverResult = z.infer<typeof handoverResultSchema>;

export async function readHandoverResult(file: string): Promise<HandoverResult | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = handoverResultSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function writeHandoverResult(file: string, result: HandoverResult): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(result)}\n`, 0o600);
}

export async function clearHandoverResult(file: string): Promise<void> {
  await rm(file, { force: true });
}
