// Builds a migrated PGlite data directory once per run; each test copies it instead of paying
// PGlite's initdb (5–8 s on 2 cores) again.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { createCore } from "../packages/core/src/index.ts";

const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent };

export async function setup(project: TestProject): Promise<() => void> {
  if (project.config.env?.TEST_DATABASE !== "pglite") return () => {};
  const dir = mkdtempSync(join(tmpdir(), "cc-pglite-template-"));
  const core = await createCore({ dataDir: dir, baseURL: "http://localhost:3000", mailFrom: "t@localhost", worker: true, log: silent });
  await core.close();
  rmSync(join(dir, "auth-secret"), { force: true });
  project.provide("pgliteTemplate", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
