// The command dispatcher: runs a server `command` frame and produces its `result` frame. Unknown
// names, bad arguments and failures become `ok:false` results with a code; a command id seen
// again (the server retrying after a reconnect) gets the same result instead of a second run.
import { agentFrameSchema } from "@clawcloud/contracts";
import type { AgentConfig } from "../config.ts";
import { createOpenclawControl, type OpenclawControl } from "../openclaw-control.ts";
import type { OpenclawVersionReader } from "../openclaw-version.ts";
import { agentUpdateCommand } from "./agent-update.ts";
import type { AgentContext, Command, CommandContext } from "./command.ts";
import { CommandError } from "./command.ts";
import { modelSetCommand } from "./model-set.ts";
import { backupCommand } from "./openclaw-backup.ts";
import { healthCommand } from "./openclaw-health.ts";
import { restoreCommand } from "./openclaw-restore.ts";
import { updateCommand } from "./openclaw-update.ts";
import { pingCommand } from "./ping.ts";

export { type AgentContext, type Command, type CommandContext, CommandError, defineCommand } from "./command.ts";

export const builtinCommands: readonly Command[] = [pingCommand, modelSetCommand, agentUpdateCommand()];

/** The update commands (backup, update, restore, health) for this agent's OpenClaw install. */
export function openclawCommands(config: AgentConfig, installed: OpenclawVersionReader): Command[] {
  // Built on first use: an agent without an OpenClaw install still runs (its commands fail clearly).
  let control: OpenclawControl | undefined;
  const get = () => {
    control ??= createOpenclawControl(config);
    return control;
  };
  return [backupCommand(get), updateCommand(get, installed), restoreCommand(get, installed), healthCommand(config.gatewayUrl)];
}

export interface ResultFrame {
  type: "result";
  id: string;
  ok: boolean;
  data?: unknown;
  error?: { code: string; message: string };
}

export interface Dispatcher {
  dispatch(frame: { id: string; name: string; args: Record<string, unknown> }, ctx: CommandContext): Promise<ResultFrame>;
}

const REMEMBERED_RESULTS = 200;

export function createDispatcher(commands: readonly Command[] = builtinCommands, agent?: AgentContext): Dispatcher {
  const byName = new Map(commands.map((c) => [c.name, c]));
  const running = new Map<string, Promise<ResultFrame>>();
  const done = new Map<string, ResultFrame>();

  const fail = (id: string, code: string, message: string, redact: (s: string) => string): ResultFrame => ({
    type: "result",
    id,
    ok: false,
    error: { code: code.slice(0, 64), message: redact(message).slice(0, 1000) },
  });

  const run = async (frame: { id: string; name: string; args: Record<string, unknown> }, ctx: CommandContext): Promise<ResultFrame> => {
    const command = byName.get(frame.name);
    if (!command) return fail(frame.id, "UNKNOWN_COMMAND", `unknown command "${frame.name}"`, ctx.log.redact);
    const started = performance.now();
    try {
      const data = await command.execute(frame.args, ctx);
      const result: ResultFrame = { type: "result", id: frame.id, ok: true, data };
      // The data must survive JSON and the protocol schema; a bug here must not kill the socket.
      const checked = agentFrameSchema.safeParse(JSON.parse(JSON.stringify(result)));
      if (!checked.success) return fail(frame.id, "INVALID_RESULT", `command "${frame.name}" produced an invalid result`, ctx.log.redact);
      ctx.log.info("command_done", { id: frame.id, name: frame.name, ok: true, ms: Math.round(performance.now() - started) });
      return result;
    } catch (err) {
      const code = err instanceof CommandError ? err.code : "COMMAND_FAILED";
      const message = err instanceof Error ? err.message : String(err);
      ctx.log.warn("command_done", { id: frame.id, name: frame.name, ok: false, code, ms: Math.round(performance.now() - started) });
      return fail(frame.id, code, message, ctx.log.redact);
    }
  };

  return {
    dispatch(frame, given) {
      const ctx: CommandContext = agent ? { ...given, agent } : given;
      const previous = done.get(frame.id);
      if (previous) return Promise.resolve(previous);
      const inFlight = running.get(frame.id);
      if (inFlight) return inFlight;
      ctx.log.info("command_start", { id: frame.id, name: frame.name });
      const promise = run(frame, ctx).then((result) => {
        running.delete(frame.id);
        done.set(frame.id, result);
        if (done.size > REMEMBERED_RESULTS) done.delete(done.keys().next().value as string);
        return result;
      });
      running.set(frame.id, promise);
      return promise;
    },
  };
}
