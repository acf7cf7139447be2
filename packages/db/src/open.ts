// One factory for both backends: embedded PGlite (a data directory) or a PostgreSQL server
// (DATABASE_URL). App code sees one drizzle type either way; migrations apply at open.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { lockDataDir } from "./data-dir-lock.ts";
import { PgliteThread } from "./pglite-thread.ts";
import * as schema from "./schema/index.ts";

export type Db = NodePgDatabase<typeof schema>;

/** The connection beneath drizzle, for libraries that bring their own driver (the job queue). */
export type Connection = { kind: "pglite"; pglite: PgliteThread } | { kind: "postgres"; url: string };

export interface Database {
  kind: Connection["kind"];
  db: Db;
  connection: Connection;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A PostgreSQL connection string; when absent, PGlite under dataDir. */
  url?: string | undefined;
  dataDir: string;
  poolSize?: number;
}

const migrationsFolder = join(import.meta.dirname, "..", "migrations");

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  return opts.url ? openPostgres(opts.url, opts.poolSize ?? 10) : openPglite(opts.dataDir);
}

// Drivers load lazily: start-up time counts, and each process needs only one of them.
async function openPostgres(url: string, max: number): Promise<Database> {
  const [{ default: pg }, { drizzle: drizzlePg }, { migrate }] = await Promise.all([
    import("pg"),
    import("drizzle-orm/node-postgres"),
    import("drizzle-orm/node-postgres/migrator"),
  ]);
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client's error (a server restart) must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const db = drizzlePg(pool, { schema });
  // Several replicas may start at once: one migrates, the others wait on the advisory lock.
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock(7406339001)");
    await migrate(drizzlePg(client, { schema }), { migrationsFolder });
  } finally {
    await client.query("select pg_advisory_unlock(7406339001)").catch(() => {});
    client.release();
  }
  return {
    kind: "postgres",
    db,
    connection: { kind: "postgres", url },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const release = lockDataDir(dataDir);
  try {
    const pgDir = join(dataDir, "pglite");
    mkdirSync(dataDir, { recursive: true });
    const [{ drizzle }, { migrate }] = await Promise.all([import("drizzle-orm/pglite"), import("drizzle-orm/pglite/migrator")]);
    // On its own thread: PGlite runs each query synchronously where it is called (pglite-thread.ts).
    const pglite = await PgliteThread.open(pgDir);
    // drizzle's PGlite driver uses only what PgliteThread provides (query with rowMode and
    // keep-the-text parsers, exec, transaction).
    const pgliteDb = drizzle(pglite as unknown as PGlite, { schema });
    await migrate(pgliteDb, { migrationsFolder });
    return {
      kind: "pglite",
      // Both drivers expose the same query-builder surface; one static type keeps callers simple.
      db: pgliteDb as unknown as Db,
      connection: { kind: "pglite", pglite },
      close: async () => {
        try {
          await pglite.close();
        } finally {
          release();
        }
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}
