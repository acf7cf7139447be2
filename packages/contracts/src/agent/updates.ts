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

// ── The agent's own update ──────────────────────────────────────────────────────────────────────

/** Where every server serves the agent bundle (cloud-init and the agent's self-update download it). */
export const AGENT_BUNDLE_PATH = "/agent/clawcloud-agent.js";
export const AGENT_SELF_UPDATE_COMMAND = "agent.update";

/** A bundle names its version in a `// clawcloud-agent <version>` line at its top (the build's banner). */
export function bundleVersion(head: string): string | undefined {
  return /^\/\/ clawcloud-agent (\S{1,64})$/m.exec(head.slice(0, 512))?.[1];
}
const agentVersion = z.string().regex(/^\d{1,4}\.\d{1,4}\.\d{1,6}(-[0-9A-Za-z.-]{1,40})?$/);

/**
 * Move the agent to the server's bundle: `version` with this sha256, downloaded from the server's
 * AGENT_BUNDLE_PATH (never from an address in the command). The same command asks how it went:
 * the agent answers `current` once it runs `version`, `restarting` when it has verified the bundle
 * and hands over to it, `in_progress` while a hand-over runs, and fails with AGENT_UPDATE_FAILED
 * (and the reason) when the new bundle did not prove itself and the old one runs again.
 */
export const agentUpdateArgsSchema = z.strictObject({
  version: agentVersion,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The server's operation: a failed hand-over is remembered for it (a new operation tries again). */
  operation: z.string().min(1).max(64),
});
export type AgentUpdateArgs = z.infer<typeof agentUpdateArgsSchema>;
export const agentUpdateResultSchema = z.object({
  status: z.enum(["current", "restarting", "in_progress"]),
  version: z.string().max(64),
});
export type AgentUpdateResult = z.infer<typeof agentUpdateResultSchema>;
