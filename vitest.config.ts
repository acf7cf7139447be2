import { defineConfig } from "vitest/config";

// Database tests run twice: on embedded PGlite (PostgreSQL 18 in WASM) and on the PostgreSQL
// server (15 here), so a feature only one of them has cannot slip through.
const dbProject = (name: string, database: string) => ({
  test: {
    name,
    include: ["packages/*/test/**/*.db.test.ts", "apps/*/test/**/*.db.test.ts"],
    env: { TEST_DATABASE: database },
    globalSetup: ["test-support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["packages/*/test/**/*.unit.test.ts", "apps/*/test/**/*.unit.test.ts"] } },
      dbProject("db-pglite", "pglite"),
      dbProject("db-postgres", "postgres"),
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.e2e.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
