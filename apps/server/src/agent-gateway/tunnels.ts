// Support SSH tunnels: a staff member's WebSocket (opened with a ticket) paired with a WebSocket the
// instance's agent dials on request, bytes relayed both ways. A side that reads faster than the
// other can write is paused until the other's send buffer drains (backpressure both ways).
import { randomBytes } from "node:crypto";
import type { WSContext } from "hono/ws";
import type WebSocket from "ws";

const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;
const AGENT_DIAL_TIMEOUT_MS = 15_000;
export const CLOSE_TUNNEL_ENDED = 4000;

interface Session {
  id: string;
  instanceId: string;
  staff: WebSocket;
  agent: WebSocket | undefined;
  /** Staff bytes that arrived before the agent's socket did. */
  pending: Buffer[];
  pendingBytes: number;
  timer: NodeJS.Timeout;
}

const raw = (ws: WSContext) => ws.raw as WebSocket;

/** Sends `data` to `to`; pauses `from` while `to` has too much unsent, resumes it once drained. */
function forward(data: Buffer, to: WebSocket, from: WebSocket): void {
  if (to.readyState !== to.OPEN) return;
  to.send(data, { binary: true }, () => {
    if (from.isPaused && to.bufferedAmount <= LOW_WATER) from.resume();
  });
  if (to.bufferedAmount > HIGH_WATER) from.pause();
}

export class SupportTunnels {
  readonly #sessions = new Map<string, Session>();

  /** A staff socket is open: remember it and return the session id the agent must dial. */
  openStaff(instanceId: string, ws: WSContext): string {
    const id = `tun_${randomBytes(16).toString("hex")}`;
    const staff = raw(ws);
    const timer = setTimeout(() => this.close(id, "the instance's agent did not open the tunnel"), AGENT_DIAL_TIMEOUT_MS);
    timer.unref();
    this.#sessions.set(id, { id, instanceId, staff, agent: undefined, pending: [], pendingBytes: 0, timer });
    return id;
  }

  /** Whether an agent of `instanceId` may attach to session `id` now. */
  awaitsAgent(id: string, instanceId: string): boolean {
    const s = this.#sessions.get(id);
    return s !== undefined && s.instanceId === instanceId && s.agent === undefined;
  }

  attachAgent(id: string, ws: WSContext): void {
    const s = this.#sessions.get(id);
    if (!s || s.agent) {
      ws.close(CLOSE_TUNNEL_ENDED, "no such tunnel");
      return;
    }
    clearTimeout(s.timer);
    s.agent = raw(ws);
    for (const chunk of s.pending.splice(0)) forward(chunk, s.agent, s.staff);
    s.pendingBytes = 0;
    if (s.staff.isPaused && s.agent.bufferedAmount <= LOW_WATER) s.staff.resume();
  }

  fromStaff(id: string, data: Buffer): void {
    const s = this.#sessions.get(id);
    if (!s) return;
    if (s.agent) {
      forward(data, s.agent, s.staff);
      return;
    }
    s.pending.push(data);
    s.pendingBytes += data.length;
    if (s.pendingBytes > HIGH_WATER) s.staff.pause();
  }

  fromAgent(id: string, data: Buffer): void {
    const s = this.#sessions.get(id);
    if (s?.agent) forward(data, s.staff, s.agent);
  }

  /** Ends a session: both sockets close. */
  close(id: string, reason: string): void {
    const s = this.#sessions.get(id);
    if (!s) return;
    this.#sessions.delete(id);
    clearTimeout(s.timer);
    for (const ws of [s.staff, s.agent]) {
      if (ws && ws.readyState !== ws.CLOSED) ws.close(CLOSE_TUNNEL_ENDED, reason.slice(0, 120));
    }
  }

  /** Support access ended: every tunnel to the instance closes. */
  closeInstance(instanceId: string, reason: string): number {
    let n = 0;
    for (const s of [...this.#sessions.values()]) {
      if (s.instanceId !== instanceId) continue;
      this.close(s.id, reason);
      n++;
    }
    return n;
  }

  closeAll(): void {
    for (const id of [...this.#sessions.keys()]) this.close(id, "server shutting down");
  }

  get size(): number {
    return this.#sessions.size;
  }
}
