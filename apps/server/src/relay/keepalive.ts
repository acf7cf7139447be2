// One timer for every browser socket instead of one each: pings every 25 s keep sockets alive
// through proxies that cut idle connections at 60 s, and a socket that missed its pong since the
// last round is dropped. A round pings in slices, so it never holds the event loop for long. The
// drain sweep resumes channels whose browser has caught up.
import type { WebSocket } from "ws";

export const PING_INTERVAL_MS = 25_000;
/** Unsent bytes towards a browser above which its channel is paused, and below which it resumes. */
export const PAUSE_ABOVE = 512 * 1024;
export const RESUME_BELOW = 64 * 1024;
const DRAIN_CHECK_MS = 50;
/** Sockets pinged per macrotask: 5,000 pings in one go would hold the event loop for tens of ms. */
const PINGS_PER_SLICE = 250;

interface Entry {
  alive: boolean;
}

export class Keepalive {
  readonly #sockets = new Map<WebSocket, Entry>();
  /** Paused sockets, each with what to do once its unsent data is below RESUME_BELOW. */
  readonly #draining = new Map<WebSocket, () => void>();
  readonly #ping: NodeJS.Timeout;
  readonly #drain: NodeJS.Timeout;

  constructor(intervalMs = PING_INTERVAL_MS) {
    this.#ping = setInterval(() => this.#round(), intervalMs);
    this.#ping.unref();
    this.#drain = setInterval(() => {
      for (const [socket, onDrained] of this.#draining) {
        if (socket.bufferedAmount >= RESUME_BELOW) continue;
        this.#draining.delete(socket);
        onDrained();
      }
    }, DRAIN_CHECK_MS);
    this.#drain.unref();
  }

  get size(): number {
    return this.#sockets.size;
  }

  add(socket: WebSocket): void {
    const entry: Entry = { alive: true };
    this.#sockets.set(socket, entry);
    socket.on("pong", () => {
      entry.alive = true;
    });
  }

  remove(socket: WebSocket): void {
    this.#sockets.delete(socket);
    this.#draining.delete(socket);
  }

  /** Calls `fn` once the socket's unsent data has fallen below RESUME_BELOW. */
  whenDrained(socket: WebSocket, fn: () => void): void {
    this.#draining.set(socket, fn);
  }

  stop(): void {
    clearInterval(this.#ping);
    clearInterval(this.#drain);
  }

  #round(): void {
    const batch = [...this.#sockets];
    const slice = (from: number) => {
      for (const [socket, entry] of batch.slice(from, from + PINGS_PER_SLICE)) {
        if (!this.#sockets.has(socket)) continue;
        if (!entry.alive) {
          socket.terminate();
          this.#sockets.delete(socket);
          continue;
        }
        entry.alive = false;
        socket.ping();
      }
      if (from + PINGS_PER_SLICE < batch.length) setImmediate(slice, from + PINGS_PER_SLICE);
    };
    slice(0);
  }
}
