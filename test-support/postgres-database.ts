// A fresh database of its own on a PostgreSQL server, for a test file or a benchmark run, dropped
// afterwards (with force: a server still connected must not keep it alive).
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface PostgresDatabase {
  url: string;
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** `prefix` names what made it (cc_test, cc_bench…), so a leftover is recognisable. */
export async function createPostgresDatabase(serverUrl: string, prefix: string): Promise<PostgresDatabase> {
  if (!/^[a-z][a-z0-9_]*$/.test(prefix)) throw new Error(`bad database name prefix ${prefix}`);
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(serverUrl, `drop database if exists ${name} with (force)`) };
}
