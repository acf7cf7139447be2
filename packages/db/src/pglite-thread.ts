// PGlite on a thread of its own (pglite-worker.ts), behind the part of PGlite's interface that
// drizzle and the job queue use: query, exec, transaction, listen, close.
//
// Why: PGlite runs PostgreSQL in WebAssembly, synchronously, on the thread that calls it. On the
// server's event loop every query (the job queue's polls, a heartbeat batch) held up everything
// else for its whole run: relayed chat frames waited 3–40 ms behind them (bench/relay.ts: the
// relay's added p99 was 2.3 ms on PGlite, 1.0 ms on PostgreSQL; with this thread 1.1 ms). The event
// loop now only posts the statement and reads the rows back.
//
// Statements run in the order they arrive, as on PGlite itself; a transaction holds the database
// until it ends, so (as on PGlite) code inside a transaction must use the transaction's handle.
import { Worker } from "node:worker_threads";

/** What the main thread asks of the database thread. */
export type PgliteCommand =
  | {
      op: "query";
      sql: string;
      params: unknown[] | undefined;
      rowMode: "array" | "object" | undefined;
      textTypes: number[] | undefined;
      tx?: number;
    }
  | { op: "exec"; sql: string; textTypes: number[] | undefined; tx?: number }
  | { op: "begin" }
  | { op: "end"; tx: number; commit: boolean }
  | { op: "listen"; channel: string; subscription: number }
  | { op: "unlisten"; subscription: number }
  | { op: "close" };

export type PgliteRequest = PgliteCommand & { id: number };

export interface SerializedError {
  name: string;
  message: string;
  /** PostgreSQL's fields (code, constraint, detail…), plain values only. */
  fields: Record<string, string | number | boolean>;
}

export type PgliteReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: SerializedError }
  | { op: "notify"; subscription: number; payload: string };

export interface Results<T = Record<string, unknown>> {
  rows: T[];
  affectedRows?: number;
  fields: { name: string; dataTypeID: number }[];
}

export interface QueryOptions {
  rowMode?: "array" | "object";
  /** Per type OID, how to read a value's text. Only "keep the text" crosses threads (what drizzle asks for). */
  parsers?: Record<number, (value: string, typeId: number) => unknown>;
}

/** The statements of one open transaction. */
export interface PgliteTransaction {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string, options?: QueryOptions): Promise<Results[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
}

export class PgliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(result: unknown): void; reject(err: Error): void }>();
  readonly #listeners = new Map<number, (payload: string) => void>();
  #next = 1;
  #stopped: Error | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    // The thread keeps the process alive only while a statement is in flight (see #call).
    worker.unref();
    worker.on("message", (m: PgliteReply) => this.#receive(m));
    worker.on("error", (err) => this.#stop(err));
    worker.on("exit", () => this.#stop(new Error("The embedded database has stopped.")));
  }

  /** Starts the thread and opens (or creates) the database in `dataDir`. */
  static open(dataDir: string): Promise<PgliteThread> {
    const worker = new Worker(new URL("./pglite-worker.ts", import.meta.url), { workerData: { dataDir } });
    const thread = new PgliteThread(worker);
    // Message 0 is the thread's answer to opening the database.
    return new Promise((resolve, reject) => {
      thread.#pending.set(0, { resolve: () => resolve(thread), reject });
      worker.ref();
    });
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions, tx?: number): Promise<Results<T>> {
    return this.#call({
      op: "query",
      sql,
      params,
      rowMode: options?.rowMode,
      textTypes: textTypes(options),
      ...(tx ? { tx } : {}),
    }) as Promise<Results<T>>;
  }

  exec(sql: string, options?: QueryOptions, tx?: number): Promise<Results[]> {
    return this.#call({ op: "exec", sql, textTypes: textTypes(options), ...(tx ? { tx } : {}) }) as Promise<Results[]>;
  }

  /** Runs `fn` in one transaction: COMMIT when it returns, ROLLBACK when it throws (or calls rollback). */
  async transaction<T>(fn: (tx: PgliteTransaction) => Promise<T>): Promise<T> {
    const id = (await this.#call({ op: "begin" })) as number;
    let closed = false;
    const end = async (commit: boolean) => {
      if (closed) return;
      closed = true;
      await this.#call({ op: "end", tx: id, commit });
    };
    const tx: PgliteTransaction = {
      query: (sql, params, options) => this.query(sql, params, options, id),
      exec: (sql, options) => this.exec(sql, options, id),
      rollback: () => end(false),
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (err) {
      await end(false).catch(() => {});
      throw err;
    }
    await end(true);
    return result;
  }

  /** LISTEN on `channel`; returns the UNLISTEN. */
  async listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> {
    const subscription = this.#next++;
    this.#listeners.set(subscription, callback);
    await this.#call({ op: "listen", channel, subscription });
    return async () => {
      if (!this.#listeners.delete(subscription)) return;
      await this.#call({ op: "unlisten", subscription });
    };
  }

  /** Closes the database and ends the thread. */
  async close(): Promise<void> {
    if (this.#stopped) return;
    await this.#call({ op: "close" });
    await this.#worker.terminate();
  }

  #call(command: PgliteCommand): Promise<unknown> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...command, id } satisfies PgliteRequest);
    });
  }

  #receive(m: PgliteReply): void {
    if ("op" in m) {
      this.#listeners.get(m.subscription)?.(m.payload);
      return;
    }
    const call = this.#pending.get(m.id);
    if (!call) return;
    this.#pending.delete(m.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (m.ok) call.resolve(m.result);
    else call.reject(Object.assign(new Error(m.error.message), m.error.fields, { name: m.error.name }));
  }

  #stop(err: Error): void {
    this.#stopped ??= err;
    for (const call of this.#pending.values()) call.reject(this.#stopped);
    this.#pending.clear();
    this.#listeners.clear();
  }
}

/** Per parsers object (drizzle passes the same one with every query), the type OIDs it keeps as text. */
const checkedParsers = new WeakMap<object, number[]>();

/** The type OIDs whose values stay text. A parser that changes the text cannot cross threads. */
function textTypes(options: QueryOptions | undefined): number[] | undefined {
  const parsers = options?.parsers;
  if (!parsers) return undefined;
  let oids = checkedParsers.get(parsers);
  if (!oids) {
    oids = Object.entries(parsers).map(([oid, parse]) => {
      const probe = "2026-01-01 00:00:00+00";
      if (parse(probe, Number(oid)) !== probe) throw new Error(`PGlite thread: the parser for type ${oid} must keep the text as it is`);
      return Number(oid);
    });
    checkedParsers.set(parsers, oids);
  }
  return oids;
}
