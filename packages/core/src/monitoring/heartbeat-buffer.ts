// Heartbeats are buffered in memory and written once a second in one transaction (see
// agents/record-heartbeat.ts), so 10,000 agents at one beat per 15 s cost a few statements per
// second instead of thousands. Each caller's promise settles when its heartbeat is written, so a
// state change is at most one flush late; flushes never overlap.

import type { Db } from "@clawcloud/db";
import { applyHeartbeats, parseHeartbeat, type ReceivedHeartbeat } from "../agents/record-heartbeat.ts";
import type { Logger } from "../logger.ts";
import type { Queue } from "../queue/queue.ts";

interface Waiting extends ReceivedHeartbeat {
  resolve(v: { becameReady: boolean }): void;
  reject(err: unknown): void;
}

/** Bounded so one transaction's parameters stay far below Postgres's 65,535. */
const MAX_BATCH = 2000;

export interface IngestStats {
  heartbeats: number;
  flushes: number;
  failedFlushes: number;
}

export class HeartbeatBuffer {
  readonly stats: IngestStats = { heartbeats: 0, flushes: 0, failedFlushes: 0 };
  #pending: Waiting[] = [];
  #flushing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #db: Db;
  readonly #queue: Queue | undefined;
  readonly #log: Logger;
  readonly #intervalMs: number;

  constructor(opts: { db: Db; queue?: Queue; log: Logger; intervalMs?: number }) {
    this.#db = opts.db;
    this.#queue = opts.queue;
    this.#log = opts.log;
    this.#intervalMs = opts.intervalMs ?? 1000;
  }

  /** Validates now (a bad frame fails at once), writes with the next flush. */
  add(instanceId: string, input: unknown): Promise<{ becameReady: boolean }> {
    const hb = parseHeartbeat(input);
    return new Promise((resolve, reject) => {
      this.#pending.push({ instanceId, hb, at: new Date(), resolve, reject });
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        void this.flush();
      }, this.#intervalMs);
    });
  }

  /** Writes everything buffered so far; waits for a flush already running first. */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#pending.length === 0) return;
    this.#flushing = this.#drain().finally(() => {
      this.#flushing = undefined;
    });
    await this.#flushing;
  }

  async #drain(): Promise<void> {
    // What arrives while this runs waits for the next tick: one write per interval at most.
    const taken = this.#pending.splice(0);
    for (let k = 0; k < taken.length; k += MAX_BATCH) {
      const batch = taken.slice(k, k + MAX_BATCH);
      try {
        const ready = await applyHeartbeats(this.#db, this.#queue, batch);
        this.stats.flushes++;
        this.stats.heartbeats += batch.length;
        for (const w of batch) w.resolve({ becameReady: ready.has(w.instanceId) });
      } catch (err) {
        this.stats.failedFlushes++;
        this.#log.error({ err, heartbeats: batch.length }, "writing a batch of heartbeats failed");
        for (const w of batch) w.reject(err);
      }
    }
  }

  /** Flushes what is left (at shutdown). */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }
}
