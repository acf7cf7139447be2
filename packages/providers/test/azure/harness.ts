// The Azure driver in front of the Azure simulator (ARM + Entra ID over HTTPS with a test CA), in
// the shape the shared conformance suite wants. The driver gets real client-secret credentials
// and the simulator as both its ARM endpoint and its authority host: the whole token flow runs.

import { createAzureDriver } from "../../src/azure/driver.ts";
import type { AzureDriverOptions } from "../../src/azure/index.ts";
import type { Harness } from "../conformance.ts";
import { ManualClock } from "../simulator/core.ts";
import {
  AZ_LIMITED_LACKS,
  AZ_PRINCIPALS,
  AZ_RESOURCE_GROUP,
  AZ_SUBSCRIPTION,
  AZ_TENANT,
  type AzureSimOptions,
  type AzureSimulator,
  startAzureSimulator,
} from "./simulator/index.ts";

export function azureCredentials(which: "valid" | "revoked" | "limited" = "valid") {
  const p = AZ_PRINCIPALS[which];
  return {
    tenantId: AZ_TENANT,
    clientId: p.clientId,
    clientSecret: p.clientSecret,
    subscriptionId: AZ_SUBSCRIPTION,
    resourceGroup: AZ_RESOURCE_GROUP,
  };
}

export async function azureHarness(
  o: AzureSimOptions = {},
  driverOpts: Partial<AzureDriverOptions> = {},
): Promise<Harness & { sim: AzureSimulator }> {
  const sim = await startAzureSimulator({ clock: new ManualClock(), latencyMs: 50, ...o });
  const driverWith = ({
    credential = "valid",
    timeoutMs = 5000,
  }: {
    credential?: "valid" | "revoked" | "limited";
    timeoutMs?: number;
  } = {}) =>
    createAzureDriver({
      credentials: azureCredentials(credential),
      baseUrl: sim.url,
      authorityHost: sim.url,
      timeoutMs,
      pollIntervalMs: 0,
      ...driverOpts,
    });
  return {
    driver: driverWith(),
    sim,
    driverWith,
    limitedMissing: AZ_LIMITED_LACKS,
    fixture: {
      region: "westeurope",
      size: "Standard_B2s",
      invalidSize: "Standard_Z99",
      invalidSizeMessage: "The requested VM size Standard_Z99 is not available in the current region",
      userDataLimitBytes: 65_535,
      rateLimitRetryAfter: (s) => s,
    },
    stop: () => sim.stop(),
  };
}
