// Every job type's handler, one file each.
import { hostname } from "node:os";
import type { Core } from "@clawcloud/core";
import * as agentsUpdateSweep from "./agents-update-sweep.ts";
import * as alertDeliver from "./alert-deliver.ts";
import * as emailSend from "./email-send.ts";
import * as instanceAgentUpdate from "./instance-agent-update.ts";
import * as instanceDelete from "./instance-delete.ts";
import * as instanceProvision from "./instance-provision.ts";
import * as instanceRollback from "./instance-rollback.ts";
import * as instanceUpdate from "./instance-update.ts";
import * as instancesCheckHeartbeats from "./instances-check-heartbeats.ts";
import * as instancesSweep from "./instances-sweep.ts";
import * as metricsRetention from "./metrics-retention.ts";
import * as openclawVersions from "./openclaw-versions.ts";
import * as rolloutsAdvance from "./rollouts-advance.ts";

export async function registerJobs(core: Core): Promise<void> {
  // Names this worker in instance leases, so a lease held by a crashed process is recognisable.
  const worker = `${hostname()}:${process.pid}`;
  for (const job of [
    emailSend,
    instanceProvision,
    instanceDelete,
    instancesSweep,
    instancesCheckHeartbeats,
    alertDeliver,
    metricsRetention,
    instanceUpdate,
    instanceRollback,
    openclawVersions,
    rolloutsAdvance,
    instanceAgentUpdate,
    agentsUpdateSweep,
  ])
    await job.register(core, worker);
}
