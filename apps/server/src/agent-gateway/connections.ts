// The agents this server process can reach. Sockets held here are AgentLinks; with several
// replicas (PostgreSQL), an agent held by another replica is reached through the replica router,
// found by the instance's recorded replica. A newer connection from the same agent replaces the
// older one (closed with 4409). Watchers (browser chat sockets) hear at once when an instance's
// agent comes or goes, here or on another replica.
import { AppError, type Bus } from "@clawcloud/core";
import type { WebSocket } from "ws";
import { PRESENCE_TOPIC, ReplicaRouter } from "../relay/replica-router.ts";
import { AgentLink, type Link } from "./agent-link.ts";

export const CLOSE_REVOKED = 4401;
export const CLOSE_REPLACED = 4409;

export type LinkWatcher = (link: Link | undefined) => void;

/** Where agents are recorded as connected (the database, through the core). */
export interface AgentPresence {
  connectedHere(instanceId: string): Promise<void>;
  leftHere(instanceId: string): Promise<void>;
  replicaOf(instanceId: string): Promise<string | null>;
}

const OFFLINE = () =>
  new AppError("AGENT_OFFLINE", "The instance's agent is not connected right now. It reconnects by itself; try again in a moment.");

export class AgentConnections {
  readonly #byInstance = new Map<string, AgentLink>();
  readonly #watchers = new Map<string, Set<LinkWatcher>>();
  readonly #bus: Bus | undefined;
  readonly #presence: AgentPresence | undefined;
  readonly #router: ReplicaRouter | undefined;
  #unsubscribe: (() => Promise<void>) | undefined;

  /** Without a shared bus and presence, only agents connected to this process are reachable. */
  constructor(opts: { bus?: Bus; presence?: AgentPresence } = {}) {
    this.#presence = opts.presence;
    this.#bus = opts.bus?.shared ? opts.bus : undefined;
    this.#router = this.#bus ? new ReplicaRouter(this.#bus, this) : undefined;
  }

  async start(): Promise<void> {
    if (!this.#bus || !this.#router) return;
    await this.#router.start();
    this.#unsubscribe = await this.#bus.subscribe(PRESENCE_TOPIC, (raw) => {
      let m: { inst?: string; replica?: string | null };
      try {
        m = JSON.parse(raw);
      } catch {
        return;
      }
      if (!m.inst || m.replica === this.#bus?.replicaId || this.#byInstance.has(m.inst)) return;
      this.#notify(m.inst, m.replica ? this.#router?.remote(m.replica, m.inst) : undefined);
    });
  }

  add(instanceId: string, socket: WebSocket): AgentLink {
    const previous = this.#byInstance.get(instanceId);
    const link = new AgentLink(instanceId, socket);
    this.#byInstance.set(instanceId, link);
    if (previous) {
      previous.dispose();
      previous.socket.close(CLOSE_REPLACED, "replaced by a newer connection");
    }
    this.#notify(instanceId, link);
    void this.#announce(instanceId, true);
    return link;
  }

  remove(instanceId: string, link: AgentLink): void {
    link.dispose();
    if (this.#byInstance.get(instanceId) !== link) return;
    this.#byInstance.delete(instanceId);
    this.#notify(instanceId, undefined);
    void this.#announce(instanceId, false);
  }

  /** The link held by this process, if any. */
  get(instanceId: string): AgentLink | undefined {
    return this.#byInstance.get(instanceId);
  }

  /** The link to the instance's agent wherever it is connected; undefined when it is nowhere. */
  async resolve(instanceId: string): Promise<Link | undefined> {
    const local = this.#byInstance.get(instanceId);
    if (local || !this.#router || !this.#presence) return local;
    const replica = await this.#presence.replicaOf(instanceId);
    return replica && replica !== this.#router.replicaId ? this.#router.remote(replica, instanceId) : undefined;
  }

  /** Calls `fn` whenever the instance's agent connects or disconnects. */
  watch(instanceId: string, fn: LinkWatcher): () => void {
    const set = this.#watchers.get(instanceId) ?? new Set<LinkWatcher>();
    this.#watchers.set(instanceId, set);
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.#watchers.delete(instanceId);
    };
  }

  /** Runs a command on the instance's agent, wherever it is connected, and returns its data. */
  async call(instanceId: string, name: string, args: Record<string, unknown>, timeoutMs = 60_000): Promise<unknown> {
    const link = await this.resolve(instanceId);
    if (!link) throw OFFLINE();
    return link.call(name, args, timeoutMs);
  }

  get size(): number {
    return this.#byInstance.size;
  }

  async closeAll(): Promise<void> {
    const links = [...this.#byInstance.values()];
    this.#byInstance.clear();
    for (const link of links) {
      link.dispose();
      link.socket.close(1001, "server shutting down");
    }
    await Promise.all(links.map((l) => this.#presence?.leftHere(l.instanceId).catch(() => {})));
    await this.#unsubscribe?.();
    await this.#router?.stop();
  }

  #notify(instanceId: string, link: Link | undefined): void {
    for (const fn of this.#watchers.get(instanceId) ?? []) fn(link);
  }

  async #announce(instanceId: string, connected: boolean): Promise<void> {
    try {
      if (connected) await this.#presence?.connectedHere(instanceId);
      else await this.#presence?.leftHere(instanceId);
      await this.#bus?.publish(PRESENCE_TOPIC, JSON.stringify({ inst: instanceId, replica: connected ? this.#bus.replicaId : null }));
    } catch {
      // Presence is a routing hint: a failed write means another replica cannot find this agent until it reconnects.
    }
  }
}
