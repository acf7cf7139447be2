// The durable job queue: pg-boss on the same database as everything else, so a job is enqueued
// in the same transaction as the rows it concerns (a rolled-back action leaves no job behind).
import type { Connection, Db } from "@clawcloud/db";
import { sql } from "@clawcloud/db";
import { fromDrizzle, fromPglite, PgBoss } from "pg-boss";
import type { Logger } from "../logger.ts";
import { type JobName, type JobPayloads, jobPolicies, schedules } from "./jobs.ts";

/** A drizzle handle or an open transaction on it. */
export type Tx = Pick<Db, "execute">;

export interface Job<N extends JobName> {
  id: string;
  name: N;
  data: JobPayloads[N];
  retryCount: number;
}

export interface Queue {
  /** Enqueue inside `tx`: the job exists if and only if the transaction commits. */
  enqueue<N extends JobName>(
    tx: Tx,
    name: N,
    data: JobPayloads[N],
    opts?: { singletonKey?: string; startAfter?: number },
  ): Promise<string | null>;
  work<N extends JobName>(name: N, handler: (job: Job<N>) => Promise<void>, opts?: { concurrency?: number }): Promise<void>;
  stop(): Promise<void>;
}

export async function startQueue(opts: { connection: Connection; log: Logger; worker: boolean }): Promise<Queue> {
  const role = opts.worker
    ? { supervise: true, schedule: true }
    : // An API-only process sends jobs; maintenance and cron belong to the workers.
      { supervise: false, schedule: false };
  // Workers are woken by NOTIFY when a job is created, so they can poll rarely. That matters most
  // on PGlite, where every poll runs on the one connection the API's queries also need.
  const common = { ...role, useListenNotify: true };
  const boss =
    opts.connection.kind === "pglite"
      ? new PgBoss({ db: fromPglite(opts.connection.pglite), backend: "pglite", ...common })
      : new PgBoss({ connectionString: opts.connection.url, max: 4, ...common });
  boss.on("error", (err) => opts.log.error({ err }, "job queue error"));
  await boss.start();
  for (const [name, policy] of Object.entries(jobPolicies)) {
    if (!(await boss.getQueue(name))) await boss.createQueue(name, { ...policy, notify: true });
  }
  if (opts.worker) {
    for (const [name, cron] of Object.entries(schedules)) await boss.schedule(name, cron, {}, { tz: "UTC" });
  }

  return {
    async enqueue(tx, name, data, o = {}) {
      return boss.send(name, data, { db: fromDrizzle(tx, sql), ...o });
    },
    async work(name, handler, o = {}) {
      await boss.work<JobPayloads[typeof name]>(
        name,
        {
          localConcurrency: o.concurrency ?? 2,
          pollingIntervalSeconds: 2,
          notifyPollingIntervalSeconds: backstopSeconds(name),
          includeMetadata: true,
        },
        async (jobs) => {
          for (const job of jobs) {
            await handler({ id: job.id, name, data: job.data, retryCount: job.retryCount });
          }
        },
      );
    },
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}

/**
 * How often a queue's worker polls although NOTIFY wakes it for every new job: a retry whose delay
 * has passed sends no NOTIFY. Each queue has its own period, 5 s and 0.3 s more per queue, so the
 * queues drift apart instead of polling in lockstep: thirteen fetches at once held the event loop
 * 10–15 ms every 5 s (40 ms on PGlite), which is what a relayed chat frame then waited behind.
 */
function backstopSeconds(name: JobName): number {
  return 5 + 0.3 * Math.max(0, Object.keys(jobPolicies).indexOf(name));
}
