// Agents follow the server: an agent older than the bundle this server serves is moved to it, a
// batch per minute (a gentle fleet roll, never everyone at once), only while it is online and
// nothing else changes the instance. Only newer: two servers of a rolling deploy never pull an
// agent back and forth. An instance whose trial of this version failed is not asked again for it;
// one whose update failed before anything changed (a download) is asked again after an hour.
import { and, type Db, eq, gt, inArray, isNotNull, ne, notExists, or, schema, sql } from "@clawcloud/db";
import type { Logger } from "../logger.ts";
import type { Queue } from "../queue/queue.ts";
import type { UpdateHooks } from "./hooks.ts";
import { insertOperation, UPDATABLE } from "./operations.ts";
import { compareVersions } from "./version-order.ts";

export interface AgentSweepDeps {
  db: Db;
  queue: Queue;
  hooks: UpdateHooks;
  log: Logger;
  agentRelease?: { version: string; sha256: string } | undefined;
  /** Instances started per sweep (default 25). */
  batch?: number;
}

/** Online: a heartbeat within this many seconds. */
const ONLINE_SEC = 120;
const RETRY_FAILED_AFTER_SEC = 3600;

export async function sweepAgentUpdates(deps: AgentSweepDeps): Promise<{ started: number }> {
  const release = deps.agentRelease;
  if (!release) return { started: 0 };
  const i = schema.instances;
  const o = schema.instanceOperations;
  const candidates = await deps.db
    .select()
    .from(i)
    .where(
      and(
        inArray(i.state, [...UPDATABLE]),
        isNotNull(i.agentVersion),
        ne(i.agentVersion, release.version),
        gt(i.lastHeartbeatAt, sql`now() - make_interval(secs => ${ONLINE_SEC})`),
        notExists(
          deps.db
            .select({ one: sql`1` })
            .from(o)
            .where(
              and(
                eq(o.instanceId, i.id),
                or(
                  eq(o.status, "running"),
                  and(
                    eq(o.kind, "agent_update"),
                    eq(o.toVersion, release.version),
                    or(ne(o.status, "failed"), gt(o.finishedAt, sql`now() - make_interval(secs => ${RETRY_FAILED_AFTER_SEC})`)),
                  ),
                ),
              ),
            ),
        ),
      ),
    )
    .limit(500);
  const due = candidates.filter((r) => compareVersions(release.version, r.agentVersion ?? "") > 0).slice(0, deps.batch ?? 25);
  let started = 0;
  for (const row of due) {
    try {
      const operationId = await deps.db.transaction((tx) =>
        insertOperation(deps, tx, row, {
          kind: "agent_update",
          fromVersion: row.agentVersion ?? "unknown",
          toVersion: release.version,
          userId: null,
        }),
      );
      started++;
      await deps.hooks.emitRequested({
        operationId,
        instanceId: row.id,
        workspaceId: row.workspaceId,
        kind: "agent_update",
        fromVersion: row.agentVersion ?? "unknown",
        toVersion: release.version,
        userId: null,
        rolloutId: null,
      });
    } catch (err) {
      // Another change started meanwhile: the next sweep looks again.
      deps.log.info({ instanceId: row.id, err: (err as Error).message }, "agent update not started");
    }
  }
  if (started > 0) deps.log.info({ started, version: release.version }, "agent updates started");
  return { started };
}
