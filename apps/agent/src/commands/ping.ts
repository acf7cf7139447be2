// `ping`: proves the command path end to end.
import { z } from "zod";
import { defineCommand } from "./command.ts";

export const pingCommand = defineCommand({
  name: "ping",
  args: z.strictObject({}),
  run: async () => ({ pong: true }),
});
