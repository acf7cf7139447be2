// Keeps an agent's support key in step with the database: on every connect and after every grant
// or revoke, the agent gets `support.grant` (key + hard expiry) or `support.revoke`. When access
// has ended, this server's tunnels to the instance close at once too.
import type { Core, Logger } from "@clawcloud/core";
import type { WSContext } from "hono/ws";
import { sendCommand } from "./commands.ts";
import type { AgentConnections } from "./connections.ts";
import type { SupportTunnels } from "./tunnels.ts";

export async function pushSupportState(
  deps: { core: Core; connections: AgentConnections; tunnels: SupportTunnels; log: Logger },
  instanceId: string,
  ws: WSContext | undefined = deps.connections.get(instanceId),
): Promise<void> {
  const { grant } = await deps.core.support.agentState(instanceId);
  if (!grant) {
    const closed = deps.tunnels.closeInstance(instanceId, "support access ended");
    if (closed > 0) deps.log.info({ instanceId, closed }, "support tunnels closed");
  }
  if (!ws) return;
  if (grant) sendCommand(ws, "support.grant", { grantId: grant.id, publicKey: grant.publicKey, expiresAt: grant.expiresAt });
  else sendCommand(ws, "support.revoke", {});
}
