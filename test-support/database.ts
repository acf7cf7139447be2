// A private database for one test file: a copy of the PGlite template, or a fresh database on
// the PostgreSQL server (TEST_DATABASE=postgres), dropped afterwards.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { createPostgresDatabase } from "./postgres-database.ts";

export const testDatabaseKind = (process.env.TEST_DATABASE ?? "pglite") as "pglite" | "postgres";
const serverUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  dataDir: string;
  databaseUrl: string | undefined;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), "cc-test-"));
  if (testDatabaseKind === "pglite") {
    cpSync(inject("pgliteTemplate"), dataDir, { recursive: true });
    return { dataDir, databaseUrl: undefined, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const pgDatabase = await createPostgresDatabase(serverUrl, "cc_test");
  return {
    dataDir,
    databaseUrl: pgDatabase.url,
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
      await pgDatabase.drop();
    },
  };
}
