// Every job type the system runs: its name, payload and retry policy. The handlers live in
// apps/server/src/jobs (one file per job type) and call services.
import type { MailMessage } from "../mail/mailer.ts";

export interface JobPayloads {
  "email.send": MailMessage;
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
};
