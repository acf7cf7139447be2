// The embedded database's own thread. PGlite (PostgreSQL compiled to WebAssembly) runs each
// statement synchronously on the thread that calls it; here that is this worker, not the server's
// event loop, so a query never holds up a relayed chat frame or an API request. The protocol is in
// pglite-thread.ts, which starts this file.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { PgliteReply, PgliteRequest, SerializedError } from "./pglite-thread.ts";

const port = parentPort;
if (!port) throw new Error("pglite-worker.ts runs as a worker thread (see pglite-thread.ts)");

/** A transaction open on behalf of the main thread: its handle, and how to finish it. */
interface OpenTransaction {
  tx: Transaction;
  finish(commit: boolean): void;
}

const ROLLBACK = Symbol("rollback");
const transactions = new Map<number, OpenTransaction>();
/** Each transaction's outcome: COMMIT ran, or the error (ROLLBACK when the main thread asked for one). */
const outcomes = new Map<number, Promise<void>>();
const subscriptions = new Map<number, () => Promise<void>>();
let nextTransaction = 1;
const keepText = (value: string) => value;

let pg: PGlite;
try {
  pg = await PGlite.create((workerData as { dataDir: string }).dataDir);
  port.postMessage({ id: 0, ok: true, result: null } satisfies PgliteReply);
} catch (err) {
  port.postMessage({ id: 0, ok: false, error: serializeError(err) } satisfies PgliteReply);
  process.exit(1);
}

port.on("message", (m: PgliteRequest) => {
  run(m).then(
    (result) => port.postMessage({ id: m.id, ok: true, result } satisfies PgliteReply),
    (err: unknown) => port.postMessage({ id: m.id, ok: false, error: serializeError(err) } satisfies PgliteReply),
  );
});

async function run(m: PgliteRequest): Promise<unknown> {
  switch (m.op) {
    case "query":
      return on(m.tx).query(m.sql, m.params, queryOptions(m.rowMode, m.textTypes));
    case "exec":
      return on(m.tx).exec(m.sql, queryOptions(undefined, m.textTypes));
    case "begin":
      return begin();
    case "end":
      return end(m.tx, m.commit);
    case "listen": {
      subscriptions.set(
        m.subscription,
        await pg.listen(m.channel, (payload) =>
          port?.postMessage({ op: "notify", subscription: m.subscription, payload } satisfies PgliteReply),
        ),
      );
      return null;
    }
    case "unlisten": {
      const unsubscribe = subscriptions.get(m.subscription);
      subscriptions.delete(m.subscription);
      await unsubscribe?.();
      return null;
    }
    case "close":
      // The main thread ends this thread once it has the answer.
      await pg.close();
      return null;
  }
}

function on(tx: number | undefined): PGlite | Transaction {
  if (tx === undefined) return pg;
  const open = transactions.get(tx);
  if (!open) throw new Error("This transaction has already ended.");
  return open.tx;
}

/** Parsers that keep the text, per list of types (drizzle asks for the same list every time). */
const keepTextParsers = new Map<string, Record<number, typeof keepText>>();

/** The types whose text the caller keeps as it is (drizzle keeps dates and intervals as strings). */
function queryOptions(rowMode: "array" | "object" | undefined, textTypes: number[] | undefined) {
  let parsers: Record<number, typeof keepText> | undefined;
  if (textTypes) {
    const key = textTypes.join(",");
    parsers = keepTextParsers.get(key);
    if (!parsers) {
      parsers = Object.fromEntries(textTypes.map((oid) => [oid, keepText]));
      keepTextParsers.set(key, parsers);
    }
  }
  return { ...(rowMode ? { rowMode } : {}), ...(parsers ? { parsers } : {}) };
}

/** Opens a transaction and answers with its number once BEGIN has run; it stays open until `end`. */
function begin(): Promise<number> {
  return new Promise((opened, failed) => {
    const id = nextTransaction++;
    let finish: (commit: boolean) => void = () => {};
    const decided = new Promise<boolean>((resolve) => {
      finish = resolve;
    });
    const outcome = pg.transaction(async (tx) => {
      transactions.set(id, { tx, finish });
      opened(id);
      if (!(await decided)) throw ROLLBACK;
    });
    outcomes.set(id, outcome);
    outcome.catch(failed);
  });
}

async function end(id: number, commit: boolean): Promise<null> {
  const open = transactions.get(id);
  if (!open) throw new Error("This transaction has already ended.");
  open.finish(commit);
  try {
    await outcomes.get(id);
  } catch (err) {
    if (err !== ROLLBACK) throw err;
  } finally {
    transactions.delete(id);
    outcomes.delete(id);
  }
  return null;
}

/**
 * A database error as plain fields (PostgreSQL's code, constraint, detail…): what callers match on.
 * The statement's parameters stay behind: they may hold a secret, and an error can end up in a log.
 */
function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: "Error", message: String(err), fields: {} };
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(err)) {
    if (key === "params" || key === "queryOptions") continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") fields[key] = value;
  }
  return { name: err.name, message: err.message, fields };
}
