// Builds one heartbeat frame: versions, gateway health and host metrics.
import type { Heartbeat } from "@clawcloud/contracts";
import { checkGatewayHealth, type GatewayHealth } from "./gateway-health.ts";
import { collectMetrics } from "./metrics.ts";
import type { OpenclawVersionReader } from "./openclaw-version.ts";
import { AGENT_VERSION } from "./version.ts";

export interface HeartbeatSource {
  collect(seq: number): Promise<Heartbeat>;
  /** The gateway health of the last heartbeat, if any. */
  readonly lastGateway: GatewayHealth | undefined;
}

export function createHeartbeatSource(opts: {
  stateDir: string;
  gatewayUrl: string;
  gatewayTimeoutMs: number;
  openclaw: OpenclawVersionReader;
}): HeartbeatSource {
  let lastGateway: GatewayHealth | undefined;
  return {
    async collect(seq) {
      const [gateway, openclawVersion, metrics] = await Promise.all([
        checkGatewayHealth(opts.gatewayUrl, opts.gatewayTimeoutMs),
        opts.openclaw.read(),
        collectMetrics(opts.stateDir),
      ]);
      lastGateway = gateway;
      return { type: "heartbeat", seq, agentVersion: AGENT_VERSION, openclawVersion, gateway, ...metrics };
    },
    get lastGateway() {
      return lastGateway;
    },
  };
}
