// Messages between the server processes (replicas) of one Claw Cloud: on PostgreSQL through
// LISTEN/NOTIFY on a connection of their own, on PGlite (one process by construction) in memory.
// Delivery is at most once and only to processes listening at that moment; callers that need an
// answer wait for one with a timeout.
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Connection, Db } from "@clawcloud/db";
import { sql } from "@clawcloud/db";
import type { Logger } from "../logger.ts";

/** PostgreSQL's NOTIFY payload limit is 8000 bytes; callers split larger messages below this. */
export const BUS_MAX_MESSAGE = 7_500;

export interface Bus {
  /** This process's id: the topic other replicas reach it on is `replicaTopic(replicaId)`. */
  readonly replicaId: string;
  /** Whether other processes can be reached at all (false on PGlite). */
  readonly shared: boolean;
  publish(topic: string, message: string): Promise<void>;
  subscribe(topic: string, fn: (message: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const replicaTopic = (replicaId: string) => `cc_replica_${replicaId}`;

/**
 * LISTEN and UNLISTEN take no parameters, so the channel name goes into the statement: only names
 * of our own fixed shape (lowercase letters, digits, underscores) are accepted, then quoted.
 */
function channelStatement(verb: "LISTEN" | "UNLISTEN", topic: string): string {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(topic)) throw new Error(`not a bus topic: ${topic.slice(0, 70)}`);
  return `${verb} "${topic}"`;
}

export async function startBus(opts: { connection: Connection; db: Db; log: Logger }): Promise<Bus> {
  const replicaId = randomBytes(6).toString("hex");
  if (opts.connection.kind === "pglite") return memoryBus(replicaId);
  return postgresBus(replicaId, opts.connection.url, opts.db, opts.log);
}

function memoryBus(replicaId: string): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    replicaId,
    shared: false,
    async publish(topic, message) {
      queueMicrotask(() => emitter.emit(topic, message));
    },
    async subscribe(topic, fn) {
      emitter.on(topic, fn);
      return async () => {
        emitter.off(topic, fn);
      };
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

async function postgresBus(replicaId: string, url: string, db: Db, log: Logger): Promise<Bus> {
  const { default: pg } = await import("pg");
  const listeners = new Map<string, Set<(message: string) => void>>();
  let client: InstanceType<typeof pg.Client> | undefined;
  let closed = false;

  // A dropped LISTEN connection is reopened with every topic listened to again.
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on("notification", (n) => {
      for (const fn of listeners.get(n.channel) ?? []) fn(n.payload ?? "");
    });
    c.on("error", (err) => {
      log.warn({ err: err.message }, "the replica bus connection failed; reconnecting");
      client = undefined;
      c.end().catch(() => {});
      if (!closed) setTimeout(() => void connect().catch(() => {}), 1000).unref();
    });
    await c.connect();
    for (const topic of listeners.keys()) await c.query(channelStatement("LISTEN", topic));
    client = c;
  };
  await connect();

  return {
    replicaId,
    shared: true,
    async publish(topic, message) {
      await db.execute(sql`select pg_notify(${topic}, ${message})`);
    },
    async subscribe(topic, fn) {
      const set = listeners.get(topic) ?? new Set();
      const first = set.size === 0;
      set.add(fn);
      listeners.set(topic, set);
      if (first && client) await client.query(channelStatement("LISTEN", topic));
      return async () => {
        set.delete(fn);
        if (set.size > 0) return;
        listeners.delete(topic);
        if (client) await client.query(channelStatement("UNLISTEN", topic)).catch(() => {});
      };
    },
    async close() {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}
