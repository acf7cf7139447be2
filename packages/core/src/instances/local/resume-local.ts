// When the workers start: local instances that should be running are relaunched (their processes
// died with the previous server process, or were left behind by a crash and are replaced), and
// instance directories no instance row owns any more are removed.
import { type Db, eq, schema } from "@clawcloud/db";
import type { Logger } from "../../logger.ts";
import type { LocalRuntime } from "./local-runtime.ts";

/** States whose processes should run (booting: the install itself may have been cut short). */
const RUNNING_STATES = new Set(["booting", "bootstrapping", "ready", "degraded", "unreachable"]);

export interface ResumeReport {
  relaunched: number;
  missing: number;
  orphansRemoved: number;
}

export async function resumeLocal(deps: { db: Db; log: Logger; local: LocalRuntime }): Promise<ResumeReport> {
  const report: ResumeReport = { relaunched: 0, missing: 0, orphansRemoved: 0 };
  const i = schema.instances;
  const rows = await deps.db.select({ id: i.id, state: i.state }).from(i).where(eq(i.provider, "local"));
  const known = new Set(rows.map((r) => r.id));
  for (const row of rows) {
    if (!RUNNING_STATES.has(row.state) || deps.local.driver.running(row.id)) continue;
    try {
      if (await deps.local.driver.resume(row.id)) report.relaunched++;
      else {
        report.missing++;
        deps.log.warn({ instanceId: row.id }, "a local instance's directory is missing; it cannot be relaunched");
      }
    } catch (err) {
      deps.log.error({ instanceId: row.id, err: (err as Error).message }, "relaunching a local instance failed");
    }
  }
  for (const server of await deps.local.driver.findServersByTag()) {
    if (known.has(server.id)) continue;
    // A row always exists before its directory: one inserted since the list above still shows here.
    const [row] = await deps.db.select({ id: i.id }).from(i).where(eq(i.id, server.id));
    if (row) continue;
    await deps.local.driver.deleteServer(server.id);
    report.orphansRemoved++;
  }
  if (report.relaunched || report.missing || report.orphansRemoved) deps.log.info({ ...report }, "local instances resumed");
  return report;
}
