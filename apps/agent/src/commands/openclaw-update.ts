// `openclaw.update`: OpenClaw's own updater to an exact version. The gateway is stopped first (an
// unmanaged gateway holds the databases and makes the updater's doctor fail) and started again
// afterwards whatever happened; the updater restores the old package itself when activation
// fails, so a failure leaves the old version installed. Already on the version: nothing to do.
import { updateArgsSchema } from "@clawcloud/contracts";
import { lastJson, type OpenclawControl, reasonOf } from "../openclaw-control.ts";
import type { OpenclawVersionReader } from "../openclaw-version.ts";
import { CommandError, defineCommand } from "./command.ts";

export const updateCommand = (control: () => OpenclawControl, installed: OpenclawVersionReader) =>
  defineCommand({
    name: "openclaw.update",
    args: updateArgsSchema,
    async run(args, ctx) {
      const oc = control();
      const before = await installed.read();
      if (before === args.version) {
        await oc.startGateway();
        return { before, after: before, status: "already-current", reason: null };
      }
      await oc.stopGateway();
      let result: { status: string; reason: string | null };
      try {
        const r = await oc.cli(["update", "--tag", args.version, "--yes", "--no-restart", "--json", "--timeout", "1500"], {
          timeoutMs: 1_600_000,
          signal: ctx.signal,
        });
        const json = lastJson(r.stdout);
        const status = typeof json?.status === "string" ? json.status.slice(0, 64) : r.code === 0 ? "succeeded" : "failed";
        const reason = typeof json?.reason === "string" ? json.reason.slice(0, 400) : r.code === 0 ? null : reasonOf(r);
        result = { status, reason };
      } finally {
        await oc.startGateway();
      }
      const after = await installed.read();
      if (after !== args.version) {
        throw new CommandError(
          "UPDATE_FAILED",
          `OpenClaw's updater did not install ${args.version} (${result.status}${result.reason ? `: ${result.reason}` : ""}); ${after ?? "no version"} is installed`,
        );
      }
      return { before, after, ...result };
    },
  });
