// Every job type the system runs: its name, payload and retry policy. The handlers live in
// apps/server/src/jobs (one file per job type) and call services.
import type { MailMessage } from "../mail/mailer.ts";
import type { AlertDelivery } from "../monitoring/alert-message.ts";

export interface JobPayloads {
  "email.send": MailMessage;
  /** Advances one instance's provisioning state machine as far as it can go now. */
  "instance.provision": { instanceId: string };
  /** The finalizer: server, firewall, then the row. */
  "instance.delete": { instanceId: string; keepRow?: boolean };
  /** Deletes tagged servers that no live instance owns (every 10 minutes). */
  "instances.sweep": Record<string, never>;
  /** Marks instances whose agent stopped heartbeating as unreachable (every minute). */
  "instances.check-heartbeats": Record<string, never>;
  /** One alert to one user over one channel (so a retry re-sends only what failed). */
  "alert.deliver": AlertDelivery;
  /** Deletes metric points older than the retention, in batches (hourly). */
  "metrics.retention": Record<string, never>;
  /** Runs one OpenClaw update of one instance, step by step (updates/run-operation.ts). */
  "instance.update": { operationId: string };
  /** Runs one rollback of one instance to its previous version and backup. */
  "instance.rollback": { operationId: string };
  /** Reads OpenClaw's release channels from the npm registry (every 15 minutes). */
  "openclaw.versions": Record<string, never>;
  /** Moves fleet rollouts forward: starts a ring's updates, halts on failures, bakes (every minute). */
  "rollouts.advance": Record<string, never>;
  /** Runs one agent self-update of one instance (updates/run-operation.ts, agent steps). */
  "instance.agent-update": { operationId: string };
  /** Starts agent self-updates on instances whose agent is older than this server's bundle (every minute, a batch at a time). */
  "agents.update-sweep": Record<string, never>;
}

export type JobName = keyof JobPayloads;

export interface JobPolicy {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  expireInSeconds: number;
}

export const jobPolicies: Record<JobName, JobPolicy> = {
  "email.send": { retryLimit: 8, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 },
  // A crashed worker's job comes back after expireInSeconds and resumes from the persisted step.
  "instance.provision": { retryLimit: 20, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 },
  "instance.delete": { retryLimit: 20, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 },
  "instances.sweep": { retryLimit: 0, retryDelay: 60, retryBackoff: false, expireInSeconds: 900 },
  "instances.check-heartbeats": { retryLimit: 0, retryDelay: 60, retryBackoff: false, expireInSeconds: 60 },
  "alert.deliver": { retryLimit: 8, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 },
  "metrics.retention": { retryLimit: 0, retryDelay: 60, retryBackoff: false, expireInSeconds: 900 },
  // A step's agent command may run for 30 minutes (OpenClaw's updater); a crashed worker's job
  // comes back after that and resumes at the persisted step.
  "instance.update": { retryLimit: 20, retryDelay: 15, retryBackoff: true, expireInSeconds: 3600 },
  "instance.rollback": { retryLimit: 20, retryDelay: 15, retryBackoff: true, expireInSeconds: 3600 },
  "openclaw.versions": { retryLimit: 0, retryDelay: 60, retryBackoff: false, expireInSeconds: 600 },
  "rollouts.advance": { retryLimit: 0, retryDelay: 60, retryBackoff: false, expireInSeconds: 120 },
  "instance.agent-update": { retryLimit: 20, retryDelay: 15, retryBackoff: true, expireInSeconds: 600 },
  "agents.update-sweep": { retryLimit: 0, retryDelay: 60, retryBackoff: false, expireInSeconds: 120 },
};

/** Jobs that run on a schedule (cron, UTC), started by the workers. */
export const schedules: Partial<Record<JobName, string>> = {
  "instances.sweep": "*/10 * * * *",
  "instances.check-heartbeats": "* * * * *",
  "metrics.retention": "17 * * * *",
  "openclaw.versions": "*/15 * * * *",
  "rollouts.advance": "* * * * *",
  "agents.update-sweep": "* * * * *",
};
