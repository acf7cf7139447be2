// The agent sockets this server process holds, by instance. A newer connection from the same
// agent replaces the older one (closed with 4409), so an instance has one live link here.
// Watchers (browser chat sockets) hear at once when an instance's agent comes or goes.
import { AppError } from "@clawcloud/core";
import type { WebSocket } from "ws";
import { AgentLink } from "./agent-link.ts";

export const CLOSE_REVOKED = 4401;
export const CLOSE_REPLACED = 4409;

export type LinkWatcher = (link: AgentLink | undefined) => void;

export class AgentConnections {
  readonly #byInstance = new Map<string, AgentLink>();
  readonly #watchers = new Map<string, Set<LinkWatcher>>();

  add(instanceId: string, socket: WebSocket): AgentLink {
    const previous = this.#byInstance.get(instanceId);
    const link = new AgentLink(instanceId, socket);
    this.#byInstance.set(instanceId, link);
    if (previous) {
      previous.dispose();
      previous.socket.close(CLOSE_REPLACED, "replaced by a newer connection");
    }
    this.#notify(instanceId, link);
    return link;
  }

  remove(instanceId: string, link: AgentLink): void {
    link.dispose();
    if (this.#byInstance.get(instanceId) !== link) return;
    this.#byInstance.delete(instanceId);
    this.#notify(instanceId, undefined);
  }

  get(instanceId: string): AgentLink | undefined {
    return this.#byInstance.get(instanceId);
  }

  /** Calls `fn` whenever the instance's agent connects or disconnects here. */
  watch(instanceId: string, fn: LinkWatcher): () => void {
    const set = this.#watchers.get(instanceId) ?? new Set<LinkWatcher>();
    this.#watchers.set(instanceId, set);
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.#watchers.delete(instanceId);
    };
  }

  /** Runs a command on the instance's agent and returns its data. */
  call(instanceId: string, name: string, args: Record<string, unknown>, timeoutMs = 60_000): Promise<unknown> {
    const link = this.#byInstance.get(instanceId);
    if (!link)
      return Promise.reject(
        new AppError("AGENT_OFFLINE", "The instance's agent is not connected right now. It reconnects by itself; try again in a moment."),
      );
    return link.call(name, args, timeoutMs);
  }

  get size(): number {
    return this.#byInstance.size;
  }

  closeAll(): void {
    for (const link of this.#byInstance.values()) {
      link.dispose();
      link.socket.close(1001, "server shutting down");
    }
    this.#byInstance.clear();
  }

  #notify(instanceId: string, link: AgentLink | undefined): void {
    for (const fn of this.#watchers.get(instanceId) ?? []) fn(link);
  }
}
