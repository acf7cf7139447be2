// Endpoints the agents call: registration (HTTPS, one-time token) and the outbound WebSocket they
// keep open. Text frames (heartbeats, events, command results) are validated on receipt; a bad
// frame is dropped and logged without content. Binary frames are relay traffic for chat
// channels and are passed on by their header alone (agent-link.ts).
import { AGENT_PROTOCOL, agentFrameSchema, type ServerFrame } from "@clawcloud/contracts";
import { AppError, type Core } from "@clawcloud/core";
import { upgradeWebSocket } from "@hono/node-server";
import type { Hono } from "hono";
import type { WebSocket } from "ws";
import type { AppEnv } from "../http/env.ts";
import { readJsonBody } from "../http/middleware/json-body.ts";
import { type AgentConnections, CLOSE_REVOKED } from "./connections.ts";

const MAX_TEXT_FRAME_BYTES = 64 * 1024;

export function mountAgentGateway(app: Hono<AppEnv>, core: Core, connections: AgentConnections): void {
  app.post("/api/agent/v1/register", async (c) => c.json(await core.agents.register(await readJsonBody(c.req)), 200));

  app.get(
    "/api/agent/v1/connect",
    async (c, next) => {
      const auth = c.req.header("authorization") ?? "";
      const credential = /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(auth)?.[1];
      const instanceId = credential ? await core.agents.authenticate(credential) : undefined;
      if (!instanceId) throw new AppError("UNAUTHENTICATED", "Unknown or revoked agent credential.");
      c.set("agentInstanceId" as never, instanceId as never);
      return next();
    },
    upgradeWebSocket((c) => {
      const instanceId = c.get("agentInstanceId" as never) as string;
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
