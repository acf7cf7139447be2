// `openclaw.restore`: back to an exact version with the state of a backup — the rollback after a
// schema migration, which OpenClaw's updater refuses (downgrades). Gateway stopped; exactly
// `version` installed with npm; the archive extracted into a fresh staging directory with an
// empty HOME (an older CLI refuses to run next to newer state); only when that succeeded is the
// live state moved aside and the restored one put in place; `openclaw doctor`; gateway started.
import { mkdtemp, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { restoreArgsSchema } from "@clawcloud/contracts";
import { type OpenclawControl, reasonOf } from "../openclaw-control.ts";
import type { OpenclawVersionReader } from "../openclaw-version.ts";
import { CommandError, defineCommand } from "./command.ts";

export const restoreCommand = (control: () => OpenclawControl, installed: OpenclawVersionReader) =>
  defineCommand({
    name: "openclaw.restore",
    args: restoreArgsSchema,
    async run(args, ctx) {
      const oc = control();
      if (!(await stat(args.backup).catch(() => undefined))?.isFile()) {
        throw new CommandError("BACKUP_MISSING", "the backup archive to restore is no longer on this server");
      }
      await oc.stopGateway();
      try {
        if ((await installed.read()) !== args.version) {
          const r = await oc.npm(["install", "-g", "--prefix", oc.prefix, `openclaw@${args.version}`, "--no-audit", "--no-fund"], {
            timeoutMs: 900_000,
            signal: ctx.signal,
          });
          if (r.code !== 0) throw new CommandError("REINSTALL_FAILED", `installing openclaw@${args.version} failed: ${reasonOf(r)}`);
        }
        const work = await mkdtemp(join(dirname(oc.stateDir), ".restore-"));
        try {
          const stage = join(work, "stage");
          const emptyHome = join(work, "home");
          const r = await oc.cli(["backup", "restore", args.backup, "--target", stage, "--json"], {
            timeoutMs: 300_000,
            env: { HOME: emptyHome, OPENCLAW_STATE_DIR: join(emptyHome, ".openclaw") },
            signal: ctx.signal,
          });
          if (r.code !== 0) throw new CommandError("RESTORE_FAILED", `openclaw backup restore failed: ${reasonOf(r)}`);
          const restored = await findRestoredState(stage, oc.stateDir);
          await rename(oc.stateDir, join(work, "replaced-state")).catch((err: NodeJS.ErrnoException) => {
            if (err.code !== "ENOENT") throw err;
          });
          await rename(restored, oc.stateDir);
        } finally {
          await rm(work, { recursive: true, force: true });
        }
        const doctor = await oc.cli(["doctor", "--non-interactive"], { timeoutMs: 300_000, signal: ctx.signal });
        if (doctor.code !== 0) ctx.log.warn("restore_doctor_failed", { reason: reasonOf(doctor) });
      } finally {
        await oc.startGateway();
      }
      return { version: await installed.read() };
    },
  });

/** `<stage>/<archive root>/payload/posix/<absolute state dir>`, as `openclaw backup restore` lays it out. */
async function findRestoredState(stage: string, stateDir: string): Promise<string> {
  for (const root of await readdir(stage)) {
    const candidate = join(stage, root, "payload", "posix", stateDir);
    if ((await stat(candidate).catch(() => undefined))?.isDirectory()) return candidate;
  }
  throw new CommandError("RESTORE_FAILED", "the backup holds no copy of this instance's OpenClaw state directory");
}
