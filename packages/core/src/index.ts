// The domain core: the only package that touches the database. Transport (routes, jobs) calls
// these services; each takes an Actor and authorises by workspace.

import { createHmac } from "node:crypto";
import { openDatabase } from "@clawcloud/db";
import type { Actor } from "./actor.ts";
import { resolveActor } from "./actor.ts";
import { agentReplicaOf, clearAgentReplica, setAgentReplica } from "./agents/agent-presence.ts";
import { recordAgentEvent } from "./agents/record-event.ts";
import { recordHeartbeat } from "./agents/record-heartbeat.ts";
import { authenticateAgent, HEARTBEAT_INTERVAL_SEC, registerAgent } from "./agents/register-agent.ts";
import { authenticateApiToken, createApiToken, listApiTokens, revokeApiToken } from "./api-tokens/api-tokens.ts";
import { ActorCache } from "./auth/actor-cache.ts";
import { createAuth } from "./auth/auth.ts";
import { startBus } from "./bus/bus.ts";
import { awsSetup } from "./credentials/aws-setup.ts";
import { CatalogCache, listRegions, listSizes } from "./credentials/catalog.ts";
import { createCredential } from "./credentials/create-credential.ts";
import { deleteCredential } from "./credentials/delete-credential.ts";
import { driverFactory, type ProviderEndpoints } from "./credentials/drivers.ts";
import { listCredentials } from "./credentials/list-credentials.ts";
import { verifyCredential } from "./credentials/verify-credential.ts";
import { createInstance } from "./instances/create-instance.ts";
import { requestDelete } from "./instances/delete-instance.ts";
import { getInstance } from "./instances/get-instance.ts";
import { listInstances } from "./instances/list-instances.ts";
import { createLocalRuntime, type LocalOptions } from "./instances/local/local-runtime.ts";
import { resumeLocal } from "./instances/local/resume-local.ts";
import { markUnreachable } from "./instances/mark-unreachable.ts";
import type { UserDataInput } from "./instances/provision.ts";
import { recordModel } from "./instances/record-model.ts";
import { retryInstance } from "./instances/retry-instance.ts";
import { runDelete, runProvisioning } from "./instances/run-provisioning.ts";
import { sweepOrphans } from "./instances/sweep-orphans.ts";
import { cloudDeployBlocker, type UserDataConfig, userDataRenderer } from "./instances/user-data.ts";
import type { Logger } from "./logger.ts";
import { createMailer, type MailMessage } from "./mail/mailer.ts";
import { getMe } from "./me/get-me.ts";
import { updateMe } from "./me/update-me.ts";
import type { JobName } from "./queue/jobs.ts";
import { type Job, startQueue } from "./queue/queue.ts";
import { loadOrCreateSecret } from "./secrets/data-dir-secret.ts";
import { LocalKeyProvider } from "./vault/local-key-provider.ts";
import { countByKeyVersion, rotateKeys } from "./vault/rotate-keys.ts";

export { DataDirLockedError } from "@clawcloud/db";
export type { Actor } from "./actor.ts";
export { CLIENT_IP_HEADER } from "./auth/auth.ts";
export type { ProviderEndpoints } from "./credentials/drivers.ts";
export type { LocalOptions } from "./instances/local/local-runtime.ts";
export type { UserDataInput } from "./instances/provision.ts";

import { AppError } from "./errors.ts";

export { BUS_MAX_MESSAGE, type Bus, replicaTopic } from "./bus/bus.ts";
export { AppError } from "./errors.ts";
export type { Logger } from "./logger.ts";
export type { MailMessage } from "./mail/mailer.ts";
export type { JobName, JobPayloads } from "./queue/jobs.ts";
export type { Job } from "./queue/queue.ts";
export { describeIssues } from "./validate.ts";
export { MasterKeyError } from "./vault/local-key-provider.ts";

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
  /** "1:<base64>,2:<base64>"; absent → a key file generated in the data directory. */
  masterKeys?: string | undefined;
  /** API endpoint overrides per cloud provider (simulators in tests, compatible clouds). */
  providerEndpoints?: ProviderEndpoints;
  /** The AWS account this Claw Cloud assumes customers' roles from (shown in the role's trust policy). */
  awsAccountId?: string | undefined;
  /** E-mail addresses of Claw Cloud's operators (verified accounts only become staff). */
  staffEmails?: readonly string[];
  /** The OpenClaw version a deploy gets when it names none. */
  defaultOpenclawVersion?: string;
  /** What cloud-init needs to bring a server's agent home: the URL it dials and the agent bundle. */
  userData?: UserDataConfig;
  /** Deploying to this machine (the `local` provider); absent → refused. */
  local?: LocalOptions;
  /** Replaces the cloud-init renderer (tests of the state machine). */
  renderUserData?: (input: UserDataInput) => string;
  /** Base of the provisioning backoff in seconds (tests shorten it). */
  backoffBaseSec?: number;
  log: Logger;
}

function loadKeys(o: CoreOptions): LocalKeyProvider {
  if (o.masterKeys) return LocalKeyProvider.fromEnv(o.masterKeys);
  const { provider, created } = LocalKeyProvider.fromDataDir(o.dataDir);
  if (created) {
    o.log.warn(
      { dataDir: o.dataDir },
      "Generated a master key for cloud credentials in the data directory. Production must supply its own: CLAWCLOUD_MASTER_KEYS.",
    );
  }
  return provider;
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
    const [queue, mailer, bus] = await Promise.all([
      startQueue({ connection: database.connection, log: o.log, worker: o.worker }),
      createMailer({ smtpUrl: o.smtpUrl, from: o.mailFrom, log: o.log }),
      startBus({ connection: database.connection, db, log: o.log }),
    ]);
    const actors = new ActorCache({ ttlMs: 15_000, max: 20_000 });
    const staffEmails = new Set((o.staffEmails ?? []).map((e) => e.toLowerCase()));
    const keys = loadKeys(o);
    const externalIdKey = createHmac("sha256", secret).update("clawcloud:aws-external-id:v1").digest("base64url");
    const credentialDeps = { db, keys, drivers: driverFactory(o.providerEndpoints ?? {}), externalIdKey };
    const catalog = new CatalogCache();
    const agentBundleSha256 = o.userData?.agentBundleSha256;
    // The processes of local instances are children of the process that runs the workers.
    const local =
      o.local && o.worker
        ? createLocalRuntime(o.local, {
            db,
            queue,
            log: o.log,
            dataDir: o.dataDir,
            agentBundleSha256,
            npmRegistry: o.userData?.mirrors?.npmRegistry,
          })
        : undefined;
    const instanceDeps = {
      ...credentialDeps,
      local,
      localDeployBlocker: !o.local
        ? "Deploying to this machine is not enabled on this server. Deploy to a cloud account instead."
        : agentBundleSha256
          ? undefined
          : "The agent bundle is not built on this server: its operator must run `npm run build`.",
      queue,
      catalog,
      log: o.log,
      defaultOpenclawVersion: o.defaultOpenclawVersion ?? "2026.9.6",
      backoffBaseSec: o.backoffBaseSec,
      cloudDeployBlocker: o.renderUserData ? undefined : cloudDeployBlocker(o.userData),
      registrationKey: createHmac("sha256", secret).update("clawcloud:registration-key:v1").digest("base64url"),
      renderUserData:
        o.renderUserData ??
        (o.userData
          ? userDataRenderer(o.userData)
          : () => {
              throw new AppError("UNAVAILABLE", "Cloud deploys are not configured on this server.");
            }),
    };
    const auth = createAuth({ db, queue, log: o.log, baseURL: o.baseURL, secret, rateLimitScale: o.rateLimitScale ?? 1 });

    return {
      databaseKind: database.kind,
      mailerKind: mailer.kind,
      /** better-auth's fetch handler for /api/auth/*. */
      handleAuth: (req: Request) => auth.handler(req),
      authenticate: (headers: Headers) => resolveActor({ db, auth, cache: actors, staffEmails }, headers),
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
      apiTokens: {
        list: (actor: Actor) => listApiTokens(db, actor),
        create: (actor: Actor, input: unknown) => createApiToken(db, actor, input),
        revoke: (actor: Actor, id: string) => revokeApiToken(db, actor, id),
        authenticate: (token: string) => authenticateApiToken(db, token),
      },
      instances: {
        list: (actor: Actor) => listInstances(db, actor),
        recordModel: (actor: Actor, id: string, model: { model: string; api: string; host: string | null }) =>
          recordModel(db, actor, id, model),
        get: (actor: Actor, id: string) => getInstance(db, actor, id),
        create: (actor: Actor, input: unknown) => createInstance(instanceDeps, actor, input),
        delete: (actor: Actor, id: string) => requestDelete(instanceDeps, actor, id),
        retry: (actor: Actor, id: string) => retryInstance(instanceDeps, actor, id),
      },
      provisioning: {
        run: (instanceId: string, worker: string) => runProvisioning(instanceDeps, instanceId, worker),
        runDelete: (instanceId: string, worker: string, keepRow = false) => runDelete(instanceDeps, instanceId, worker, keepRow),
        sweepOrphans: () => sweepOrphans(instanceDeps),
        markUnreachable: () => markUnreachable(db),
        /** Relaunches this machine's instances (call once the server listens, in a worker process). */
        resumeLocal: () => (local ? resumeLocal({ db, log: o.log, local }) : Promise.resolve(undefined)),
      },
      /** Messages between this Claw Cloud's server processes (chat routing across replicas). */
      bus,
      agents: {
        heartbeatIntervalSec: HEARTBEAT_INTERVAL_SEC,
        connectedHere: (instanceId: string) => setAgentReplica(db, instanceId, bus.replicaId),
        leftHere: (instanceId: string) => clearAgentReplica(db, instanceId, bus.replicaId),
        replicaOf: (instanceId: string) => agentReplicaOf(db, instanceId),
        register: (input: unknown) => registerAgent({ db, log: o.log }, input),
        authenticate: (credential: string) => authenticateAgent(db, credential),
        heartbeat: (instanceId: string, frame: unknown) => recordHeartbeat(db, instanceId, frame),
        event: (instanceId: string, frame: unknown) => recordAgentEvent(db, instanceId, frame),
      },
      credentials: {
        list: (actor: Actor) => listCredentials(db, actor),
        create: (actor: Actor, input: unknown) => createCredential(credentialDeps, actor, input),
        delete: (actor: Actor, id: string) => deleteCredential(credentialDeps, actor, id),
        verify: (actor: Actor, id: string) => verifyCredential(credentialDeps, actor, id),
        regions: (actor: Actor, id: string) => listRegions(credentialDeps, catalog, actor, id),
        sizes: (actor: Actor, id: string) => listSizes(credentialDeps, catalog, actor, id),
        awsSetup: (actor: Actor) => awsSetup({ key: externalIdKey, trustedAccountId: o.awsAccountId }, actor),
      },
      vault: {
        keyVersions: () => keys.versions(),
        rowsByKeyVersion: () => countByKeyVersion(db),
        /** Adds a master key version (key file only), then re-wraps every row under it. */
        rotate: async (opts: { addVersion: boolean; onProgress?: (done: number) => void }) => {
          if (opts.addVersion) keys.addVersion();
          return rotateKeys(db, keys, opts.onProgress);
        },
      },
      mail: { deliver: (m: MailMessage) => mailer.send(m) },
      jobs: {
        work: <N extends JobName>(name: N, handler: (job: Job<N>) => Promise<void>, opts?: { concurrency?: number }) =>
          queue.work(name, handler, opts),
      },
      async close() {
        await bus.close();
        await queue.stop().catch((err) => o.log.error({ err }, "stopping the job queue failed"));
        // After the workers: no job can start a local instance once its processes are stopped.
        await local?.driver.close().catch((err) => o.log.error({ err }, "stopping local instances failed"));
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
