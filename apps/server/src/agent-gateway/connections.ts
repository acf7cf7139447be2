// The agent sockets this server process holds, by instance. A newer connection from the same
// agent replaces the older one (closed with 4409), so an instance has one live socket here.
import type { WSContext } from "hono/ws";

export const CLOSE_REVOKED = 4401;
export const CLOSE_REPLACED = 4409;

export class AgentConnections {
  readonly #byInstance = new Map<string, WSContext>();

  add(instanceId: string, ws: WSContext): void {
    const previous = this.#byInstance.get(instanceId);
    this.#byInstance.set(instanceId, ws);
    if (previous && previous !== ws) previous.close(CLOSE_REPLACED, "replaced by a newer connection");
  }

  remove(instanceId: string, ws: WSContext): void {
    if (this.#byInstance.get(instanceId) === ws) this.#byInstance.delete(instanceId);
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
