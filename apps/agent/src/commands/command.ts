// What a command is: a name, a zod schema for its arguments and a function that runs it.
// A command throws `CommandError` for failures the server should see by code.
import type { z } from "zod";
import type { Logger } from "../log.ts";

export interface CommandContext {
  log: Logger;
  /** Aborted when the agent stops. */
  signal: AbortSignal;
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
