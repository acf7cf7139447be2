// `openclaw.backup`: a verified archive of OpenClaw's state (`openclaw backup create --verify`)
// in the backup directory; only the newest `keep` archives stay. No backup, no update: a failure
// here is reported with OpenClaw's reason and the server stops the update.
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { backupArgsSchema } from "@clawcloud/contracts";
import type { OpenclawControl } from "../openclaw-control.ts";
import { reasonOf } from "../openclaw-control.ts";
import { CommandError, defineCommand } from "./command.ts";

const ARCHIVE = /\.tar\.gz$/;

async function archives(dir: string): Promise<{ path: string; mtimeMs: number; size: number }[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => ARCHIVE.test(n));
  const out = await Promise.all(names.map(async (n) => ({ path: join(dir, n), ...(await stat(join(dir, n))) })));
  return out.map((a) => ({ path: a.path, mtimeMs: a.mtimeMs, size: a.size })).sort((a, b) => b.mtimeMs - a.mtimeMs);
}

export const backupCommand = (control: () => OpenclawControl) =>
  defineCommand({
    name: "openclaw.backup",
    args: backupArgsSchema,
    async run(args, ctx) {
      const oc = control();
      await mkdir(oc.backupDir, { recursive: true, mode: 0o700 });
      const before = new Set((await archives(oc.backupDir)).map((a) => a.path));
      const r = await oc.cli(["backup", "create", "--verify", "--output", oc.backupDir, "--json"], {
        timeoutMs: 600_000,
        signal: ctx.signal,
      });
      if (r.code !== 0) throw new CommandError("BACKUP_FAILED", `openclaw backup create --verify failed: ${reasonOf(r)}`);
      const all = await archives(oc.backupDir);
      const made = all.find((a) => !before.has(a.path));
      if (!made) throw new CommandError("BACKUP_FAILED", "openclaw backup create reported success but wrote no archive");
      for (const old of all.slice(args.keep)) await rm(old.path, { force: true });
      ctx.log.info("backup_created", { bytes: made.size });
      return { path: made.path, bytes: made.size };
    },
  });
