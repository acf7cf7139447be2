// The domain core: the only package that touches the database. Transport (routes, jobs) calls
// these services; each takes an Actor and authorises by workspace.

import { createHmac } from "node:crypto";
import { openDatabase } from "@clawcloud/db";
import type { Actor } from "./actor.ts";
import { resolveActor } from "./actor.ts";
import { agentReplicaOf, clearAgentReplica, setAgentReplica } from "./agents/agent-presence.ts";
import { reportBootstrapEvent } from "./agents/bootstrap-event.ts";
import { recordAgentEvent } from "./agents/record-event.ts";
import { authenticateAgent, HEARTBEAT_INTERVAL_SEC, registerAgent } from "./agents/register-agent.ts";
import { authenticateApiToken, createApiToken, listApiTokens, revokeApiToken } from "./api-tokens/api-tokens.ts";
import { exportAuditCsv } from "./audit/export-csv.ts";
import { listAudit } from "./audit/list-audit.ts";
import { type AuditEntry, recordAudit } from "./audit/record-audit.ts";
import { type AuthEvent, recordAuthEvent } from "./audit/record-auth-event.ts";
import { verifyAuditChain } from "./audit/verify-chain.ts";
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
import type { AlertDelivery } from "./monitoring/alert-message.ts";
import { getAlertSettings, updateAlertSettings } from "./monitoring/alert-settings.ts";
import { deliverAlert } from "./monitoring/deliver-alert.ts";
import { getInstanceMetrics } from "./monitoring/get-metrics.ts";
import { HeartbeatBuffer } from "./monitoring/heartbeat-buffer.ts";
import { deleteOldMetrics } from "./monitoring/metrics-retention.ts";
import { type RaiseAlertInput, raiseAlert } from "./monitoring/raise-alert.ts";
import type { WebhookPolicy } from "./monitoring/webhook.ts";
import type { JobName } from "./queue/jobs.ts";
import { type Job, startQueue } from "./queue/queue.ts";
import { loadOrCreateSecret } from "./secrets/data-dir-secret.ts";
import { requestLimits } from "./security/request-limit.ts";
import { agentSupportState } from "./support/agent-state.ts";
import { getSupportAccess } from "./support/get-access.ts";
import { grantSupportAccess } from "./support/grant-access.ts";
import { revokeSupportAccess } from "./support/revoke-access.ts";
import { TunnelTickets } from "./support/tunnel-ticket.ts";
import { type AgentChannel, noAgentChannel } from "./updates/agent-channel.ts";
import { sweepAgentUpdates } from "./updates/agent-update-sweep.ts";
import { createUpdateHooks } from "./updates/hooks.ts";
import { getInstanceDetail } from "./updates/instance-detail.ts";
import { requestRollback, requestUpdate, setPin } from "./updates/operations.ts";
import { RegistryClient } from "./updates/registry.ts";
import { advanceRollouts, createRollout, getRollout, listRollouts, setRolloutStatus } from "./updates/rollouts.ts";
import { runOperation } from "./updates/run-operation.ts";
import { latestVersions, refreshVersions, releaseNotes } from "./updates/versions.ts";
import { LocalKeyProvider } from "./vault/local-key-provider.ts";
import { countByKeyVersion, rotateKeys } from "./vault/rotate-keys.ts";

export { DataDirLockedError } from "@clawcloud/db";
export type { Actor } from "./actor.ts";
export { CLIENT_IP_HEADER } from "./auth/auth.ts";
export type { ProviderEndpoints } from "./credentials/drivers.ts";
export type { LocalOptions } from "./instances/local/local-runtime.ts";
export type { UserDataInput } from "./instances/provision.ts";
export type { AgentSupportState } from "./support/agent-state.ts";
export { parseSshPublicKey } from "./support/public-key.ts";
export type { TunnelSession } from "./support/tunnel-ticket.ts";

import { AppError } from "./errors.ts";

export { BUS_MAX_MESSAGE, type Bus, replicaTopic } from "./bus/bus.ts";
export { AppError } from "./errors.ts";
export type { Logger } from "./logger.ts";
export type { MailMessage } from "./mail/mailer.ts";
export type { Alert, AlertDelivery, AlertKind } from "./monitoring/alert-message.ts";
export type { RaiseAlertInput } from "./monitoring/raise-alert.ts";
export type { JobName, JobPayloads } from "./queue/jobs.ts";
export type { Job } from "./queue/queue.ts";
export { type AgentChannel, AgentCommandError } from "./updates/agent-channel.ts";
export type { OperationFinished, OperationRequested } from "./updates/hooks.ts";
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
  /** Alert webhooks: whether http:// and private addresses are allowed (default: neither). */
  webhooks?: WebhookPolicy;
  /** The support engineers' SSH public key (`type base64`, checked); absent → support grants are refused. */
  supportPublicKey?: string | undefined;
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
  /** The agents' command channel (the process holding their WebSockets); absent → none here. */
  agentChannel?: AgentChannel;
  /** The agent bundle this server serves: agents on an older version update themselves to it. */
  agentRelease?: { version: string; sha256: string } | undefined;
  /** Seconds a gateway gets to become healthy after an update or a restore (tests shorten it). */
  updateHealthTimeoutSec?: number;
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
    const limits = requestLimits(db, o.rateLimitScale ?? 1);
    const credentialDeps = { db, keys, drivers: driverFactory(o.providerEndpoints ?? {}), externalIdKey, limits };
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
    const webhookPolicy = o.webhooks ?? { allowHttp: false, allowPrivate: false };
    const heartbeats = new HeartbeatBuffer({ db, queue, log: o.log });
    const alertDeps = { db, keys, mailer, webhookPolicy, baseURL: o.baseURL };
    const updateHooks = createUpdateHooks(o.log);
    const registry = new RegistryClient(o.userData?.mirrors?.npmRegistry);
    const operationDeps = { db, queue, hooks: updateHooks };
    // A failed update (or its backup) is an alert, once per operation, when the job is done for good.
    updateHooks.onFinished(async (e) => {
      if (e.status === "succeeded") return;
      const what = {
        update: `The update to OpenClaw ${e.toVersion}`,
        rollback: `The rollback to OpenClaw ${e.toVersion}`,
        agent_update: `The agent's update to ${e.toVersion}`,
      }[e.kind];
      const outcome = e.status === "rolled_back" ? `failed and was rolled back to ${e.fromVersion}` : "failed";
      await db.transaction((tx) =>
        raiseAlert(tx, queue, {
          instanceId: e.instanceId,
          kind: e.failedStep === "backup" ? "backup_failed" : "update_failed",
          reason: `${what} ${outcome}${e.failedStep ? ` at the ${e.failedStep} step` : ""}${e.message ? `: ${e.message}` : "."}`,
        }),
      );
    });
    const runDeps = {
      ...operationDeps,
      agents: o.agentChannel ?? noAgentChannel,
      log: o.log,
      healthTimeoutSec: o.updateHealthTimeoutSec,
      agentRelease: o.agentRelease,
    };
    const supportListeners = new Set<(instanceId: string) => void>();
    const supportDeps = {
      db,
      publicKey: o.supportPublicKey,
      changed: (instanceId: string) => {
        for (const listener of supportListeners) listener(instanceId);
      },
    };
    const tunnelTickets = new TunnelTickets(db);
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
        get: (actor: Actor, id: string) => getInstanceDetail(db, actor, id),
        create: (actor: Actor, input: unknown) => createInstance(instanceDeps, actor, input),
        delete: (actor: Actor, id: string) => requestDelete(instanceDeps, actor, id),
        retry: (actor: Actor, id: string) => retryInstance(instanceDeps, actor, id),
      },
      updates: {
        versions: () => latestVersions(db),
        refreshVersions: () => refreshVersions({ db, log: o.log, registry }),
        /** At a worker's start: a server that never asked the registry asks now, not in 15 minutes. */
        refreshIfNeverFetched: async () => {
          if ((await latestVersions(db)).fetchedAt !== null) return;
          await queue.enqueue(db, "openclaw.versions", {}, { singletonKey: "openclaw.versions:first" });
        },
        releaseNotes: (version: string) => releaseNotes({ db, log: o.log, registry }, version),
        update: (actor: Actor, id: string, input: { version?: string | undefined }) => requestUpdate(operationDeps, actor, id, input),
        rollback: (actor: Actor, id: string) => requestRollback(operationDeps, actor, id),
        pin: (actor: Actor, id: string, version: string | null) => setPin(db, actor, id, version),
        run: (operationId: string, worker: string) => runOperation(runDeps, operationId, worker),
        /** Starts agent self-updates where agents are older than this server's bundle (a batch). */
        sweepAgents: (opts: { batch?: number } = {}) => sweepAgentUpdates({ ...runDeps, ...opts }),
        /** AUDIT and ALERTS attach here (see updates/hooks.ts). */
        hooks: { onRequested: updateHooks.onRequested, onFinished: updateHooks.onFinished },
      },
      rollouts: {
        list: (actor: Actor) => listRollouts(db, actor),
        get: (actor: Actor, id: string) => getRollout(db, actor, id),
        create: (actor: Actor, input: unknown) => createRollout(operationDeps, actor, input),
        pause: (actor: Actor, id: string) => setRolloutStatus(operationDeps, actor, id, "pause"),
        resume: (actor: Actor, id: string) => setRolloutStatus(operationDeps, actor, id, "resume"),
        advance: () => advanceRollouts({ ...operationDeps, log: o.log }),
      },
      provisioning: {
        run: (instanceId: string, worker: string) => runProvisioning(instanceDeps, instanceId, worker),
        runDelete: (instanceId: string, worker: string, keepRow = false) => runDelete(instanceDeps, instanceId, worker, keepRow),
        sweepOrphans: () => sweepOrphans(instanceDeps),
        markUnreachable: () => markUnreachable(db, queue),
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
        register: (input: unknown) => registerAgent({ db, queue, log: o.log }, input),
        /** The first-boot script's own report, before its agent runs (registration token). */
        bootstrapEvent: (input: unknown) => reportBootstrapEvent({ db, queue, log: o.log }, input),
        authenticate: (credential: string) => authenticateAgent(db, credential),
        /** Buffered: settles once the heartbeat is written with the next batch (about a second). */
        heartbeat: (instanceId: string, frame: unknown) => heartbeats.add(instanceId, frame),
        ingestStats: () => ({ ...heartbeats.stats }),
        event: (instanceId: string, frame: unknown) => recordAgentEvent({ db, queue }, instanceId, frame),
      },
      monitoring: {
        metrics: (actor: Actor, instanceId: string, query: unknown) => getInstanceMetrics(db, actor, instanceId, query),
        alertSettings: (actor: Actor) => getAlertSettings(db, actor),
        updateAlertSettings: (actor: Actor, input: unknown) => updateAlertSettings(alertDeps, actor, input),
        /**
         * Raises an alert for an instance: the update and backup jobs call this with
         * `update_failed` / `backup_failed` once, when the job has failed for good (inside core,
         * monitoring/raise-alert.ts takes the job's own transaction). Delivered by the queue.
         */
        raiseAlert: (input: RaiseAlertInput) => db.transaction((tx) => raiseAlert(tx, queue, input)),
        deliverAlert: (delivery: AlertDelivery) => deliverAlert(alertDeps, delivery),
        deleteOldMetrics: () => deleteOldMetrics(db),
      },
      support: {
        get: (actor: Actor, instanceId: string) => getSupportAccess(db, actor, instanceId),
        grant: (actor: Actor, instanceId: string, input: unknown) => grantSupportAccess(supportDeps, actor, instanceId, input),
        revoke: (actor: Actor, instanceId: string) => revokeSupportAccess(supportDeps, actor, instanceId),
        /** Staff only: a single-use ticket for the ssh tunnel to an instance with an active grant. */
        tunnelTicket: (actor: Actor, instanceId: string) => tunnelTickets.issue(actor, instanceId),
        redeemTunnelTicket: (ticket: string) => tunnelTickets.redeem(ticket),
        /** What the instance's agent should hold now (sent on connect and after each change). */
        agentState: (instanceId: string) => agentSupportState(db, instanceId),
        /** Called after every grant or revoke (this process only), to push the state to the agent. */
        onChange(listener: (instanceId: string) => void): () => void {
          supportListeners.add(listener);
          return () => supportListeners.delete(listener);
        },
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
        // Each row is re-wrapped in its own transaction (interruptible, resumable); the audit row
        // records the run once it ends.
        rotate: async (opts: { addVersion: boolean; onProgress?: (done: number) => void }) => {
          if (opts.addVersion) keys.addVersion();
          const report = await rotateKeys(db, keys, opts.onProgress);
          await db.transaction((tx) =>
            recordAudit(tx, {
              action: "vault.rotate",
              workspaceId: null,
              actor: { type: "system", id: "cli" },
              metadata: { keyVersion: report.currentVersion, rewrapped: report.rewrapped, failed: report.failed.length },
            }),
          );
          return report;
        },
      },
      audit: {
        list: (actor: Actor, query: unknown) => listAudit(db, actor, query),
        exportCsv: (actor: Actor, query: Record<string, unknown>) => exportAuditCsv(db, actor, query),
        verify: () => verifyAuditChain(db),
        /** Auth outcomes, recorded by the auth gate after better-auth's own transaction. */
        recordAuth: (event: AuthEvent) => recordAuthEvent(db, event),
        /** One entry in its own transaction: for actions with no database write of their own. */
        record: (entry: AuditEntry) => db.transaction((tx) => recordAudit(tx, entry)),
      },
      limits: {
        /** Sign-in attempts per (account, client address); throws RATE_LIMITED. */
        signIn: (email: string, ip: string) => limits.check("signIn", `${email.toLowerCase()}|${ip}`),
      },
      mail: { deliver: (m: MailMessage) => mailer.send(m) },
      jobs: {
        work: <N extends JobName>(name: N, handler: (job: Job<N>) => Promise<void>, opts?: { concurrency?: number }) =>
          queue.work(name, handler, opts),
      },
      async close() {
        await heartbeats.close().catch((err) => o.log.error({ err }, "writing the last heartbeats failed"));
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
