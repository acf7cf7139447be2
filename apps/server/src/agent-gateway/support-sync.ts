// Keeps an agent's support key in step with the database: on every connect and after every grant
// or revoke, the agent gets `support.grant` (key + hard expiry) or `support.revoke`. When access
// has ended, this server's tunnels to the instance close at once too. The command reaches the
// agent on whichever replica holds its socket (through the replica router on PostgreSQL).
import type { Core, Logger } from "@clawcloud/core";
import type { Link } from "./agent-link.ts";
import { sendCommand } from "./commands.ts";
import type { AgentConnections } from "./connections.ts";
import type { SupportTunnels } from "./tunnels.ts";

export async function pushSupportState(
  deps: { core: Core; connections: AgentConnections; tunnels: SupportTunnels; log: Logger },
  instanceId: string,
  /** The agent's link when known (on connect); otherwise found here or on another replica. */
  known?: Link,
): Promise<void> {
  const link = known ?? (await deps.connections.resolve(instanceId));
  const { grant } = await deps.core.support.agentState(instanceId);
  if (!grant) {
    const closed = deps.tunnels.closeInstance(instanceId, "support access ended");
    if (closed > 0) deps.log.info({ instanceId, closed }, "support tunnels closed");
  }
  if (!link) return;
  if (grant) sendCommand(link, "support.grant", { grantId: grant.id, publicKey: grant.publicKey, expiresAt: grant.expiresAt }, deps.log);
  else sendCommand(link, "support.revoke", {}, deps.log);
}
