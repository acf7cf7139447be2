// Support access commands from the server: install the support key until a hard expiry, remove it,
// and open an SSH tunnel over a new outbound WebSocket. Without a `support` section in the config
// this agent has no way to let anyone in, and says so.
import { z } from "zod";
import type { SupportAccess } from "../support/support-access.ts";
import { type Command, CommandError, defineCommand } from "./command.ts";

async function run<T>(support: SupportAccess | undefined, fn: (s: SupportAccess) => Promise<T>): Promise<T> {
  if (!support) throw new CommandError("SUPPORT_NOT_CONFIGURED", "support access is not set up on this server");
  return fn(support);
}

export function supportCommands(support: SupportAccess | undefined): Command[] {
  return [
    defineCommand({
      name: "support.grant",
      args: z.strictObject({ grantId: z.string(), publicKey: z.string(), expiresAt: z.string() }),
      run: (args) => run(support, (s) => s.grant(args)),
    }),
    defineCommand({
      name: "support.revoke",
      args: z.strictObject({}),
      // Sent on every connect: without support set up there is nothing to remove, which is success.
      run: () => (support ? support.revoke() : Promise.resolve({ removed: false })),
    }),
    defineCommand({
      name: "support.tunnel.open",
      args: z.strictObject({ sessionId: z.string().regex(/^tun_[0-9a-f]{32}$/) }),
      run: (args) => run(support, (s) => s.openTunnel(args.sessionId)),
    }),
  ];
}
