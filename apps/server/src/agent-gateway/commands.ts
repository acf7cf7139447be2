// Commands the server sends an agent over its socket. Each gets a fresh id; the agent answers with
// a `result` frame (logged by the gateway, never needed for correctness: state is re-sent on connect).
import { randomUUID } from "node:crypto";
import type { ServerFrame } from "@clawcloud/contracts";
import type { WSContext } from "hono/ws";

export function sendCommand(ws: WSContext, name: string, args: Record<string, unknown>): string {
  const id = `cmd_${randomUUID()}`;
  const frame: ServerFrame = { type: "command", id, name, args };
  ws.send(JSON.stringify(frame));
  return id;
}
