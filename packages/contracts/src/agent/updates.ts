// Agent commands for updates (protocol v1 `command` frames): the arguments each takes and the
// data it answers with. The server validates the answers; the agent validates the arguments.
import { z } from "zod";

const version = z.string().regex(/^\d{4}\.\d{1,2}\.\d{1,3}(-[0-9A-Za-z.-]+)?$/);

export const AGENT_COMMANDS = {
  backup: "openclaw.backup",
  update: "openclaw.update",
  restore: "openclaw.restore",
  health: "openclaw.health",
} as const;

/** `openclaw backup create --verify`; the agent keeps the newest `keep` archives. */
export const backupArgsSchema = z.strictObject({ keep: z.number().int().min(1).max(10).default(3) });
export const backupResultSchema = z.object({ path: z.string().max(500), bytes: z.number().int().nonnegative() });

/** Stop the gateway, `openclaw update --tag <version> --yes --no-restart --json`, start it again. */
export const updateArgsSchema = z.strictObject({ version });
export const updateResultSchema = z.object({
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** The updater's status (succeeded, failed, …) and reason when it did not succeed. */
  status: z.string().max(64),
  reason: z.string().max(500).nullable(),
});

/** Stop the gateway, install exactly `version`, restore `backup` over the state directory, start. */
export const restoreArgsSchema = z.strictObject({ version, backup: z.string().min(1).max(500) });
export const restoreResultSchema = z.object({ version: z.string().nullable() });

/** Wait until /readyz answers and /startupz reports `version` (or the timeout passes). */
export const healthArgsSchema = z.strictObject({ version, timeoutSec: z.number().int().min(1).max(900).default(180) });
export const healthResultSchema = z.object({ ready: z.boolean(), version: z.string().nullable(), waitedMs: z.number() });
