// What a command is: a name, a zod schema for its arguments and a function that runs it.
// A command throws `CommandError` for failures the server should see by code.
import type { z } from "zod";
import type { AgentConfig } from "../config.ts";
import type { AgentKeys } from "../keys.ts";
import type { Logger } from "../log.ts";
import type { GatewayClient } from "../relay/gateway-client.ts";

/** What commands may use of the running agent (absent in dispatcher unit tests). */
export interface AgentContext {
  config: AgentConfig;
  keys: AgentKeys;
  /** The loopback client of OpenClaw's gateway (the chat relay's). */
  gateway?: GatewayClient;
  /** The bundle this agent runs from, and its hand-over to another (absent when not run from a bundle). */
  self?: SelfUpdateHost;
  /** This process is a self-update's trial run: it has not taken over yet. */
  trial?: boolean;
}

export interface SelfUpdateHost {
  bundlePath: string;
  /** Whether a hand-over is scheduled or running. */
  handingOver(): boolean;
  /** After this command's result is out: close the connection, run `task`, exit to be restarted. */
  handOver(task: () => Promise<void>): void;
}

export interface CommandContext {
  log: Logger;
  /** Aborted when the agent stops. */
  signal: AbortSignal;
  agent?: AgentContext;
}

export class CommandError extends Error {
  override name = "CommandError";
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export interface Command {
  name: string;
  execute(rawArgs: unknown, ctx: CommandContext): Promise<unknown>;
}

export function defineCommand<S extends z.ZodType>(def: {
  name: string;
  args: S;
  run(args: z.infer<S>, ctx: CommandContext): Promise<unknown>;
}): Command {
  return {
    name: def.name,
    async execute(rawArgs, ctx) {
      const parsed = def.args.safeParse(rawArgs);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(args)"}: ${i.message}`).join("; ");
        throw new CommandError("INVALID_ARGS", issues);
      }
      return def.run(parsed.data, ctx);
    },
  };
}
