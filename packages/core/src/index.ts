// The domain core: the only package that touches the database. Transport (routes, jobs) calls
// these services; each takes an Actor and authorises by workspace.
import { openDatabase } from "@clawcloud/db";
import type { Actor } from "./actor.ts";
import { resolveActor } from "./actor.ts";
import { ActorCache } from "./auth/actor-cache.ts";
import { createAuth } from "./auth/auth.ts";
import { listCredentials } from "./credentials/list-credentials.ts";
import { listInstances } from "./instances/list-instances.ts";
import type { Logger } from "./logger.ts";
import { createMailer, type MailMessage } from "./mail/mailer.ts";
import { getMe } from "./me/get-me.ts";
import { updateMe } from "./me/update-me.ts";
import type { JobName } from "./queue/jobs.ts";
import { type Job, startQueue } from "./queue/queue.ts";
import { loadOrCreateSecret } from "./secrets/data-dir-secret.ts";

export { DataDirLockedError } from "@clawcloud/db";
export type { Actor } from "./actor.ts";
export { CLIENT_IP_HEADER } from "./auth/auth.ts";
export { AppError } from "./errors.ts";
export type { Logger } from "./logger.ts";
export type { MailMessage } from "./mail/mailer.ts";
export type { JobName, JobPayloads } from "./queue/jobs.ts";
export type { Job } from "./queue/queue.ts";
export { describeIssues } from "./validate.ts";

export interface CoreOptions {
  /** PostgreSQL connection string; absent → embedded PGlite in dataDir. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** The public URL people reach the app at (links in e-mail, cookie security, CSRF origin). */
  baseURL: string;
  authSecret?: string | undefined;
  smtpUrl?: string | undefined;
  mailFrom: string;
  /** Whether this process runs the queue's workers and maintenance. */
  worker: boolean;
  rateLimitScale?: number;
  log: Logger;
}

export async function createCore(o: CoreOptions) {
  const database = await openDatabase({ url: o.databaseUrl, dataDir: o.dataDir });
  try {
    const { db } = database;
    let secret = o.authSecret;
    if (!secret) {
      const generated = loadOrCreateSecret(o.dataDir, "auth-secret");
      if (generated.created) {
        o.log.warn(
          { dataDir: o.dataDir },
          "Generated a session-signing secret in the data directory. Production must set CLAWCLOUD_AUTH_SECRET.",
        );
      }
      secret = generated.value;
    }
    const [queue, mailer] = await Promise.all([
      startQueue({ connection: database.connection, log: o.log, worker: o.worker }),
      createMailer({ smtpUrl: o.smtpUrl, from: o.mailFrom, log: o.log }),
    ]);
    const actors = new ActorCache({ ttlMs: 15_000, max: 20_000 });
    const auth = createAuth({ db, queue, log: o.log, baseURL: o.baseURL, secret, rateLimitScale: o.rateLimitScale ?? 1 });

    return {
      databaseKind: database.kind,
      mailerKind: mailer.kind,
      /** better-auth's fetch handler for /api/auth/*. */
      handleAuth: (req: Request) => auth.handler(req),
      authenticate: (headers: Headers) => resolveActor({ db, auth, cache: actors }, headers),
      /** After an auth operation on the caller's session (sign-out, password change). */
      sessionChanged: (headers: Headers) => actors.forget(ActorCache.key(headers)),
      me: {
        get: (actor: Actor) => getMe(db, actor),
        update: async (actor: Actor, input: { name: string }) => {
          const me = await updateMe(db, actor, input);
          actors.forgetUser(actor.userId);
          return me;
        },
      },
      instances: { list: (actor: Actor) => listInstances(db, actor) },
      credentials: { list: (actor: Actor) => listCredentials(db, actor) },
      mail: { deliver: (m: MailMessage) => mailer.send(m) },
      jobs: {
        work: <N extends JobName>(name: N, handler: (job: Job<N>) => Promise<void>, opts?: { concurrency?: number }) =>
          queue.work(name, handler, opts),
      },
      async close() {
        await queue.stop().catch((err) => o.log.error({ err }, "stopping the job queue failed"));
        mailer.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}

export type Core = Awaited<ReturnType<typeof createCore>>;
