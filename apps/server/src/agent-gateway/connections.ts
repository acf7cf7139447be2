// The agent sockets this server process holds, by instance. A newer connection from the same
// agent replaces the older one (closed with 4409), so an instance has one live socket here.
// call() sends a command frame and waits for its result frame; the agent remembers results by
// command id, so re-sending the same id after a reconnect or a retried job never runs it twice.
import type { ServerFrame } from "@clawcloud/contracts";
import { type AgentChannel, AgentCommandError } from "@clawcloud/core";
import type { WSContext } from "hono/ws";

export const CLOSE_REVOKED = 4401;
export const CLOSE_REPLACED = 4409;

interface Pending {
  instanceId: string;
  frame: string;
  resolve(data: unknown): void;
  reject(err: Error): void;
}

export class AgentConnections implements AgentChannel {
  readonly #byInstance = new Map<string, WSContext>();
  readonly #pending = new Map<string, Pending>();

  async call(
    instanceId: string,
    command: { id: string; name: string; args: Record<string, unknown> },
    timeoutMs: number,
  ): Promise<unknown> {
    const ws = this.#byInstance.get(instanceId);
    if (!ws) throw new AgentCommandError("AGENT_OFFLINE", "The instance's agent is not connected.");
    const frame: ServerFrame = { type: "command", id: command.id, name: command.name, args: command.args };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(command.id);
        reject(new AgentCommandError("TIMEOUT", `The agent did not answer "${command.name}" within ${Math.round(timeoutMs / 1000)} s.`));
      }, timeoutMs);
      this.#pending.set(command.id, {
        instanceId,
        frame: JSON.stringify(frame),
        resolve: (d) => {
          clearTimeout(timer);
          resolve(d);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      ws.send(JSON.stringify(frame));
    });
  }

  /** A result frame from `instanceId`'s agent; results for another instance's command are ignored. */
  settle(instanceId: string, result: { id: string; ok: boolean; data?: unknown; error?: { code: string; message: string } }): void {
    const p = this.#pending.get(result.id);
    if (!p || p.instanceId !== instanceId) return;
    this.#pending.delete(result.id);
    if (result.ok) p.resolve(result.data);
    else p.reject(new AgentCommandError(result.error?.code ?? "COMMAND_FAILED", result.error?.message ?? "the command failed"));
  }

  #dropPending(instanceId: string): void {
    for (const [id, p] of this.#pending) {
      if (p.instanceId !== instanceId) continue;
      this.#pending.delete(id);
      p.reject(new AgentCommandError("AGENT_OFFLINE", "The agent disconnected while running the command."));
    }
  }

  add(instanceId: string, ws: WSContext): void {
    const previous = this.#byInstance.get(instanceId);
    this.#byInstance.set(instanceId, ws);
    if (previous && previous !== ws) previous.close(CLOSE_REPLACED, "replaced by a newer connection");
    // Commands still waiting go to the new socket: the agent answers a known id from memory (or
    // joins the run in progress), so nothing runs twice.
    for (const p of this.#pending.values()) if (p.instanceId === instanceId) ws.send(p.frame);
  }

  remove(instanceId: string, ws: WSContext): void {
    if (this.#byInstance.get(instanceId) !== ws) return;
    this.#byInstance.delete(instanceId);
    this.#dropPending(instanceId);
  }

  get(instanceId: string): WSContext | undefined {
    return this.#byInstance.get(instanceId);
  }

  get size(): number {
    return this.#byInstance.size;
  }

  closeAll(): void {
    for (const ws of this.#byInstance.values()) ws.close(1001, "server shutting down");
    this.#byInstance.clear();
  }
}
