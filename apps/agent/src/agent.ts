// The agent's life: load the key pair, register once if there is no credential yet, then keep
// the connection until stopped. Returns the process exit code instead of exiting, so tests can
// run it in-process.
import { mkdir } from "node:fs/promises";
import { writeFileAtomic } from "./atomic-file.ts";
import { tailBootstrapProgress } from "./bootstrap-progress.ts";
import type { SelfUpdateHost } from "./commands/command.ts";
import { builtinCommands, type Command, createDispatcher, openclawCommands } from "./commands/index.ts";
import { supportCommands } from "./commands/support.ts";
import { type AgentConfig, removeRegistrationToken } from "./config.ts";
import { AgentConnection } from "./connection.ts";
import { hasRevokedCredential, markCredentialRevoked, readCredential, writeCredential } from "./credential-store.ts";
import { EXIT_CONFIG, EXIT_FAILURE, EXIT_OK, EXIT_RESTART } from "./exit-codes.ts";
import { createHeartbeatSource } from "./heartbeat.ts";
import { loadOrCreateKeys } from "./keys.ts";
import type { Logger } from "./log.ts";
import { createOpenclawVersionReader } from "./openclaw-version.ts";
import { register } from "./register.ts";
import { Relay } from "./relay/relay.ts";
import { trialMark } from "./self-update/handover.ts";
import { watchLogins } from "./support/login-watch.ts";
import { SupportAccess } from "./support/support-access.ts";
import { AGENT_VERSION } from "./version.ts";

export interface RunningAgent {
  /** Resolves with the exit code once the agent has stopped. */
  done: Promise<number>;
  /** Stops the agent (closes the socket politely) and waits for it. */
  stop(): Promise<number>;
}

export interface AgentOptions {
  commands?: readonly Command[];
  /** The clock support access expiry is enforced by (tests move it forward). */
  now?: () => number;
  /** The bundle file this process runs (main.ts): without it the agent cannot update itself. */
  bundlePath?: string;
  /** A self-update trial (`--trial <file>`): write the file and stop once welcomed and heartbeating. */
  trialFile?: string;
}

/** How long the command's result gets to leave before a hand-over closes the connection. */
const HANDOVER_DELAY_MS = 500;

export function startAgent(config: AgentConfig, log: Logger, opts: AgentOptions = {}): RunningAgent {
  const controller = new AbortController();
  const done = runAgent(config, log, controller.signal, opts).catch((err: unknown) => {
    log.error("agent_failed", { error: err instanceof Error ? err.message : String(err) });
    return EXIT_FAILURE;
  });
  return {
    done,
    stop() {
      controller.abort();
      return done;
    },
  };
}

async function runAgent(config: AgentConfig, log: Logger, signal: AbortSignal, opts: AgentOptions): Promise<number> {
  log.addSecret(config.registrationToken);
  log.addSecret(config.gatewayToken);
  log.info("agent_start", {
    version: AGENT_VERSION,
    instanceId: config.instanceId,
    serverUrl: config.serverUrl,
    stateDir: config.stateDir,
  });

  await mkdir(config.stateDir, { recursive: true, mode: 0o700 });
  const { keys, created } = await loadOrCreateKeys(config.stateDir);
  log.info(created ? "keypair_created" : "keypair_loaded", { publicKey: keys.publicKeyBase64 });

  let stored = await readCredential(config.stateDir);
  if (stored && stored.instanceId !== config.instanceId) {
    log.error("credential_instance_mismatch", { stored: stored.instanceId, configured: config.instanceId });
    return EXIT_CONFIG;
  }
  let justRegistered = false;
  if (!stored) {
    if (!config.registrationToken) {
      const revoked = await hasRevokedCredential(config.stateDir);
      log.error(revoked ? "credential_revoked_no_token" : "not_registered_no_token", {
        message: revoked
          ? "This agent's credential was revoked. Re-register it with a new registration token in the config file."
          : "This agent has no credential and its config file has no registration token.",
      });
      return EXIT_CONFIG;
    }
    const outcome = await register({ config, token: config.registrationToken, publicKey: keys.publicKeyBase64, log, signal });
    if (outcome.kind === "stopped") return EXIT_OK;
    if (outcome.kind === "rejected") {
      log.error("registration_rejected", {
        status: outcome.status,
        code: outcome.code,
        message: outcome.message,
        hint: "Registration tokens are single-use and expire after 30 minutes: redeploy the instance or issue a new token.",
      });
      return EXIT_CONFIG;
    }
    log.addSecret(outcome.credential);
    stored = {
      instanceId: config.instanceId,
      serverUrl: config.serverUrl,
      credential: outcome.credential,
      registeredAt: new Date().toISOString(),
    };
    await writeCredential(config.stateDir, stored);
    const removed = await removeRegistrationToken(config.configPath);
    log.info("registered", { tokenRemovedFromConfig: removed });
    if (!removed)
      log.warn("config_not_rewritable", {
        path: config.configPath,
        message: "the spent registration token stays in the file; it is useless now",
      });
    justRegistered = true;
  }
  log.addSecret(stored.credential);

  // Before connecting: an expired support grant is removed even if the server never answers.
  // Until the connection exists, reports (an expiry found at start) wait here; then they are queued on it.
  const early: Array<[string, "ok" | "failed", string | undefined]> = [];
  let report = (name: string, status: "ok" | "failed", message?: string): void => {
    early.push([name, status, message]);
  };
  const support = config.support
    ? new SupportAccess({
        config: config.support,
        stateDir: config.stateDir,
        serverUrl: config.serverUrl,
        credential: stored.credential,
        log,
        checkIntervalMs: config.tuning.supportCheckMs,
        now: opts.now ?? Date.now,
        report: (name, status, message) => report(name, status, message),
      })
    : undefined;
  // A failed check must not stop the agent (then nothing could revoke or expire anything): it is
  // reported, and the timer and the periodic check keep trying.
  await support
    ?.start()
    .catch((err: unknown) => log.error("support_check_failed", { error: err instanceof Error ? err.message : String(err) }));

  // A hand-over (self-update) or the end of a trial closes the connection from inside.
  const inner = new AbortController();
  const running = AbortSignal.any([signal, inner.signal]);
  let handoverTask: (() => Promise<void>) | undefined;
  const self: SelfUpdateHost | undefined = opts.bundlePath
    ? {
        bundlePath: opts.bundlePath,
        handingOver: () => handoverTask !== undefined,
        handOver(task) {
          if (handoverTask) return;
          handoverTask = task;
          setTimeout(() => inner.abort(), HANDOVER_DELAY_MS);
        },
      }
    : undefined;
  let trialConfirmed = false;
  const trialFile = opts.trialFile;
  const onHeartbeatSent = trialFile
    ? () => {
        if (trialConfirmed) return;
        trialConfirmed = true;
        log.info("agent_trial_confirmed", { version: AGENT_VERSION });
        void writeFileAtomic(trialFile, trialMark(AGENT_VERSION), 0o600).finally(() => inner.abort());
      }
    : undefined;

  const installed = createOpenclawVersionReader(config.openclawBin);
  const commands = [...(opts.commands ?? [...builtinCommands, ...openclawCommands(config, installed)]), ...supportCommands(support)];
  // Relay frames go out on the connection, which is made just below with the relay in it.
  const out: { connection?: AgentConnection } = {};
  const relay = new Relay({
    gatewayUrl: config.gatewayUrl,
    gatewayToken: config.gatewayToken,
    log,
    write: (frame) => out.connection?.sendBinary(frame),
  });
  const connection = new AgentConnection({
    config,
    credential: stored.credential,
    log,
    signal: running,
    relay,
    dispatcher: createDispatcher(commands, {
      keys,
      config,
      gateway: relay.gateway,
      ...(self ? { self } : {}),
      trial: trialFile !== undefined,
    }),
    ...(onHeartbeatSent ? { onHeartbeatSent } : {}),
    heartbeat: createHeartbeatSource({
      stateDir: config.stateDir,
      gatewayUrl: config.gatewayUrl,
      gatewayTimeoutMs: config.tuning.gatewayTimeoutMs,
      openclaw: installed,
    }),
  });
  out.connection = connection;
  report = (name, status, message) => connection.sendEvent(name, status, message);
  for (const [name, status, message] of early.splice(0)) report(name, status, message);
  connection.sendEvent("agent-start", "ok", `agent ${AGENT_VERSION}`);
  if (justRegistered) connection.sendEvent("agent-register", "ok");

  const progressStop = new AbortController();
  const stopProgress = () => progressStop.abort();
  signal.addEventListener("abort", stopProgress, { once: true });
  const authLog = config.support?.authLog;
  const logins =
    config.support && authLog
      ? watchLogins({
          source: authLog,
          user: config.support.user,
          pollMs: config.tuning.progressPollMs,
          log,
          signal: progressStop.signal,
          onLogin: (summary) => connection.sendEvent("support-login", "ok", summary),
        }).catch((err: unknown) => log.warn("support_login_watch_failed", { error: String(err) }))
      : Promise.resolve();
  const progressFile = config.bootstrapProgressFile;
  const progress = progressFile
    ? tailBootstrapProgress({
        file: progressFile,
        stateDir: config.stateDir,
        pollMs: config.tuning.progressPollMs,
        log,
        signal: progressStop.signal,
        onLine: (line) => connection.sendEvent(line.name, line.status, line.message),
      }).catch((err: unknown) => log.warn("bootstrap_progress_failed", { error: String(err) }))
    : Promise.resolve();

  const end = await connection.run();
  // A trial must not mark the shared credential revoked: the old agent decides that for itself.
  if (end.kind === "revoked" && !trialFile) {
    await markCredentialRevoked(config.stateDir).catch(() => undefined);
    log.error("credential_revoked", {
      reason: end.reason.slice(0, 123),
      message: "The server revoked this agent's credential. The agent stops; re-register it with a new registration token.",
    });
  } else if (end.kind === "fatal") {
    log.error("connection_fatal", { reason: end.reason });
  }
  relay.stop();
  stopProgress();
  signal.removeEventListener("abort", stopProgress);
  await progress;
  support?.stop();
  await logins;
  if (end.kind === "stopped" && handoverTask && !signal.aborted) {
    await handoverTask().catch((err: unknown) =>
      log.error("agent_update_handover_failed", { error: err instanceof Error ? err.message : String(err) }),
    );
    log.info("agent_stop", { reason: "restart" });
    return EXIT_RESTART;
  }
  log.info("agent_stop", { reason: trialConfirmed ? "trial-confirmed" : end.kind });
  return end.kind === "stopped" ? EXIT_OK : EXIT_CONFIG;
}
