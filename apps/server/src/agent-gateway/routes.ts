// Endpoints the agents call: registration (HTTPS, one-time token) and the outbound WebSocket they
// keep open. Frames are validated on receipt; a bad frame is dropped and logged without content.
import { AGENT_PROTOCOL, agentFrameSchema, type ServerFrame } from "@clawcloud/contracts";
import { AppError, type Core, type Logger } from "@clawcloud/core";
import { upgradeWebSocket } from "@hono/node-server";
import type { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { readJsonBody } from "../http/middleware/json-body.ts";
import { agentAuth, agentInstanceId } from "./agent-auth.ts";
import { type AgentConnections, CLOSE_REVOKED } from "./connections.ts";
import { pushSupportState } from "./support-sync.ts";
import { mountTunnelEndpoints } from "./tunnel-routes.ts";
import type { SupportTunnels } from "./tunnels.ts";

const MAX_FRAME_BYTES = 64 * 1024;

export function mountAgentGateway(
  app: Hono<AppEnv>,
  core: Core,
  deps: { connections: AgentConnections; tunnels: SupportTunnels; log: Logger },
): void {
  const { connections } = deps;
  const sync = { core, ...deps };
  // A grant or revoke in this process reaches the agent at once (another replica's: at reconnect).
  core.support.onChange((instanceId) => {
    pushSupportState(sync, instanceId).catch((err: unknown) => deps.log.error({ err, instanceId }, "pushing support state failed"));
  });
  mountTunnelEndpoints(app, core, deps.tunnels, connections);

  app.post("/api/agent/v1/register", async (c) => c.json(await core.agents.register(await readJsonBody(c.req)), 200));

  app.get(
    "/api/agent/v1/connect",
    agentAuth(core),
    upgradeWebSocket((c) => {
      const instanceId = agentInstanceId(c);
      const log = c.get("log").child({ instanceId });
      return {
        onOpen(_evt, ws) {
          if (ws.protocol !== AGENT_PROTOCOL) {
            ws.close(1002, `use the ${AGENT_PROTOCOL} subprotocol`);
            return;
          }
          connections.add(instanceId, ws);
          const welcome: ServerFrame = { type: "welcome", instanceId, heartbeatIntervalSec: core.agents.heartbeatIntervalSec };
          ws.send(JSON.stringify(welcome));
          log.info({}, "agent connected");
          pushSupportState(sync, instanceId, ws).catch((err: unknown) => log.error({ err }, "sending support state failed"));
        },
        async onMessage(evt, ws) {
          const text = typeof evt.data === "string" ? evt.data : "";
          if (text.length === 0 || text.length > MAX_FRAME_BYTES) return log.warn({ bytes: text.length }, "agent frame dropped: size");
          let frame: ReturnType<typeof agentFrameSchema.parse>;
          try {
            frame = agentFrameSchema.parse(JSON.parse(text));
          } catch {
            return log.warn({ bytes: text.length }, "agent frame dropped: not a valid v1 frame");
          }
          try {
            if (frame.type === "heartbeat") await core.agents.heartbeat(instanceId, frame);
            else if (frame.type === "event") await core.agents.event(instanceId, frame);
            else if (!frame.ok) log.warn({ commandId: frame.id, code: frame.error?.code }, "agent command failed");
          } catch (err) {
            if (err instanceof AppError && err.code === "UNAUTHENTICATED") ws.close(CLOSE_REVOKED, "credential revoked");
            else log.error({ err }, "agent frame failed");
          }
        },
        onClose(_evt, ws) {
          connections.remove(instanceId, ws);
          log.info({}, "agent disconnected");
        },
      };
    }),
  );
}
