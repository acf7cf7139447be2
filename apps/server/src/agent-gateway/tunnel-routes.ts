// The two WebSockets of a support SSH tunnel. Staff: /api/v1/support/tunnel?ticket=… (a single-use
// ticket from POST /api/v1/support/instances/{id}/tunnel; no cookie needed, so the ssh
// ProxyCommand client can use it). Agent: /api/agent/v1/tunnel/{sessionId}, dialled on the
// `support.tunnel.open` command with its credential. Mounted before the session-cookie middleware.
import { SUPPORT_TUNNEL_PATH, SUPPORT_TUNNEL_PROTOCOL } from "@clawcloud/contracts";
import { AppError, type Core, type TunnelSession } from "@clawcloud/core";
import { upgradeWebSocket } from "@hono/node-server";
import type { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { agentAuth, agentInstanceId } from "./agent-auth.ts";
import { sendCommand } from "./commands.ts";
import type { AgentConnections } from "./connections.ts";
import type { SupportTunnels } from "./tunnels.ts";

const NOT_A_WEBSOCKET = `Open this path as a WebSocket with the ${SUPPORT_TUNNEL_PROTOCOL} subprotocol.`;
const bytes = (data: unknown): Buffer | undefined => (data instanceof ArrayBuffer ? Buffer.from(data) : undefined);

export function mountTunnelEndpoints(app: Hono<AppEnv>, core: Core, tunnels: SupportTunnels, connections: AgentConnections): void {
  app.get(
    SUPPORT_TUNNEL_PATH,
    async (c, next) => {
      // Checked before the ticket is spent: a plain GET must not burn it.
      if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw new AppError("VALIDATION_FAILED", NOT_A_WEBSOCKET);
      const ticket = c.req.query("ticket") ?? "";
      if (!/^[A-Za-z0-9_-]{43}$/.test(ticket)) throw new AppError("UNAUTHENTICATED", "A tunnel ticket is required (?ticket=…).");
      const session = await core.support.redeemTunnelTicket(ticket);
      if (!connections.get(session.instanceId)) {
        throw new AppError("UNAVAILABLE", "The instance's agent is not connected to this server; try again when it is online.");
      }
      c.set("tunnelSession" as never, session as never);
      return next();
    },
    upgradeWebSocket((c) => {
      const session = c.get("tunnelSession" as never) as TunnelSession;
      const log = c.get("log").child({ instanceId: session.instanceId, grantId: session.grantId });
      let id = "";
      return {
        onOpen(_evt, ws) {
          const agent = connections.get(session.instanceId);
          if (ws.protocol !== SUPPORT_TUNNEL_PROTOCOL || !agent) {
            ws.close(1002, agent ? `use the ${SUPPORT_TUNNEL_PROTOCOL} subprotocol` : "the agent went away");
            return;
          }
          id = tunnels.openStaff(session.instanceId, ws);
          sendCommand(agent, "support.tunnel.open", { sessionId: id }, log);
          log.info({ sessionId: id, staffUserId: session.userId }, "support tunnel requested");
        },
        onMessage(evt) {
          const data = bytes(evt.data);
          if (data) tunnels.fromStaff(id, data);
        },
        onClose() {
          tunnels.close(id, "the support side closed");
          log.info({ sessionId: id }, "support tunnel closed");
        },
      };
    }),
  );

  app.get(
    "/api/agent/v1/tunnel/:sessionId",
    agentAuth(core),
    async (c, next) => {
      if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw new AppError("VALIDATION_FAILED", NOT_A_WEBSOCKET);
      if (!tunnels.awaitsAgent(c.req.param("sessionId"), agentInstanceId(c))) throw new AppError("NOT_FOUND", "No such tunnel.");
      return next();
    },
    upgradeWebSocket((c) => {
      const id = c.req.param("sessionId") ?? "";
      return {
        onOpen(_evt, ws) {
          if (ws.protocol !== SUPPORT_TUNNEL_PROTOCOL) return ws.close(1002, `use the ${SUPPORT_TUNNEL_PROTOCOL} subprotocol`);
          tunnels.attachAgent(id, ws);
        },
        onMessage(evt) {
          const data = bytes(evt.data);
          if (data) tunnels.fromAgent(id, data);
        },
        onClose() {
          tunnels.close(id, "the agent closed the tunnel");
        },
      };
    }),
  );
}
