// `openclaw.health`: waits until the gateway is ready (/readyz) and runs `version` (/startupz).
// OpenClaw takes 20–40 s to become ready on 2 vCPUs, so this polls rather than sleeps.
import { healthArgsSchema } from "@clawcloud/contracts";
import { checkGatewayHealth } from "../gateway-health.ts";
import { CommandError, defineCommand } from "./command.ts";

export const healthCommand = (gatewayUrl: string, pollMs = 1000) =>
  defineCommand({
    name: "openclaw.health",
    args: healthArgsSchema,
    async run(args, ctx) {
      const started = Date.now();
      let last = { ready: false, startupVersion: null as string | null };
      while (Date.now() - started < args.timeoutSec * 1000 && !ctx.signal.aborted) {
        const h = await checkGatewayHealth(gatewayUrl, 2000);
        last = h;
        if (h.ready && h.startupVersion === args.version) return { ready: true, version: h.startupVersion, waitedMs: Date.now() - started };
        await new Promise((r) => setTimeout(r, pollMs));
      }
      throw new CommandError(
        "UNHEALTHY",
        last.ready
          ? `the gateway is ready but runs ${last.startupVersion ?? "an unknown version"}, not ${args.version}`
          : `the gateway was not ready within ${args.timeoutSec} s`,
      );
    },
  });
