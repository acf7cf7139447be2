// Endpoints the agents call: registration (HTTPS, one-time token) and the outbound WebSocket they
// keep open. Text frames (heartbeats, events, command results) are validated on receipt; a bad
// frame is dropped and logged without content. Binary frames are relay traffic for chat
// channels and are passed on by their header alone (agent-link.ts).
import { AGENT_PROTOCOL, agentFrameSchema, type ServerFrame } from "@clawcloud/contracts";
import { AppError, type Core, type Logger } from "@clawcloud/core";
import { upgradeWebSocket } from "@hono/node-server";
import type { Hono } from "hono";
import type { WebSocket } from "ws";
import type { AppEnv } from "../http/env.ts";
import { readJsonBody } from "../http/middleware/json-body.ts";
import { agentAuth, agentInstanceId } from "./agent-auth.ts";
import { type AgentConnections, CLOSE_REVOKED } from "./connections.ts";
import { pushSupportState } from "./support-sync.ts";
import { mountTunnelEndpoints } from "./tunnel-routes.ts";
import type { SupportTunnels } from "./tunnels.ts";

const MAX_TEXT_FRAME_BYTES = 64 * 1024;

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
  // The first-boot script's own report before its agent runs (@clawcloud/bootstrap BOOTSTRAP_EVENTS_PATH).
  app.post("/api/agent/v1/bootstrap-events", async (c) => {
    await core.agents.bootstrapEvent(await readJsonBody(c.req));
    return c.body(null, 204);
  });

  app.get(
    "/api/agent/v1/connect",
    agentAuth(core),
    upgradeWebSocket((c) => {
      const instanceId = agentInstanceId(c);
      const log = c.get("log").child({ instanceId });
      return {
        onOpen(_evt, ws) {
          const socket = ws.raw as WebSocket;
          if (ws.protocol !== AGENT_PROTOCOL) {
            ws.close(1002, `use the ${AGENT_PROTOCOL} subprotocol`);
            return;
          }
          // Welcome first: the agent ignores relay frames until it has been welcomed.
          const welcome: ServerFrame = { type: "welcome", instanceId, heartbeatIntervalSec: core.agents.heartbeatIntervalSec };
          socket.send(JSON.stringify(welcome));
          const link = connections.add(instanceId, socket);
          // Messages are read straight off the socket: relay frames must not be copied or wrapped.
          socket.on("message", (data: Buffer, isBinary: boolean) => {
            if (isBinary) link.receive(data);
            else void onText(data.toString("utf8"));
          });
          socket.on("close", () => {
            connections.remove(instanceId, link);
            log.info({}, "agent disconnected");
          });
          log.info({}, "agent connected");
          pushSupportState(sync, instanceId, link).catch((err: unknown) => log.error({ err }, "sending support state failed"));

          const onText = async (text: string) => {
            if (text.length === 0 || text.length > MAX_TEXT_FRAME_BYTES)
              return log.warn({ bytes: text.length }, "agent frame dropped: size");
            let frame: ReturnType<typeof agentFrameSchema.parse>;
            try {
              frame = agentFrameSchema.parse(JSON.parse(text));
            } catch {
              return log.warn({ bytes: text.length }, "agent frame dropped: not a valid v1 frame");
            }
            try {
              if (frame.type === "heartbeat") await core.agents.heartbeat(instanceId, frame);
              else if (frame.type === "event") await core.agents.event(instanceId, frame);
              else link.result(frame);
            } catch (err) {
              if (err instanceof AppError && err.code === "UNAUTHENTICATED") socket.close(CLOSE_REVOKED, "credential revoked");
              else log.error({ err }, "agent frame failed");
            }
          };
        },
      };
    }),
  );
}
