// The GCP driver in front of the GCP simulator, in the shape the shared conformance suite wants.
// The driver gets a real-format service account key (generated per test process); it signs its
// own JWTs, which the simulator verifies: no token exchange, no network beyond 127.0.0.1.

import { GCP_RATE_LIMIT_BACKOFF_SECONDS } from "../../src/gcp/errors.ts";
import { createGcpDriver, type GcpDriverOptions } from "../../src/gcp/index.ts";
import type { Harness } from "../conformance.ts";
import { ManualClock } from "../simulator/core.ts";
import { GCP_LIMITED_LACKS, type GcpSimOptions, type GcpSimulator, gcpKey, startGcpSimulator } from "./simulator/index.ts";

export async function gcpHarness(
  o: GcpSimOptions = {},
  driverOpts: Partial<GcpDriverOptions> = {},
): Promise<Harness & { sim: GcpSimulator }> {
  const sim = await startGcpSimulator({ clock: new ManualClock(), latencyMs: 50, ...o });
  const driverWith = ({
    credential = "valid",
    timeoutMs = 5000,
  }: {
    credential?: "valid" | "revoked" | "limited";
    timeoutMs?: number;
  } = {}) => createGcpDriver({ credentials: gcpKey(credential), baseUrl: sim.url, resourceManagerUrl: sim.url, timeoutMs, ...driverOpts });
  return {
    driver: driverWith(),
    sim,
    driverWith,
    limitedMissing: GCP_LIMITED_LACKS,
    fixture: {
      region: "europe-west3-a",
      size: "e2-medium",
      invalidSize: "e2-huge-99",
      invalidSizeMessage: "Machine type with name 'e2-huge-99' does not exist in zone 'europe-west3-a'",
      userDataLimitBytes: 256 * 1024,
      // Compute Engine sends no Retry-After: the driver reports its fixed backoff.
      rateLimitRetryAfter: () => GCP_RATE_LIMIT_BACKOFF_SECONDS,
      throwawayKey: false,
    },
    stop: () => sim.stop(),
  };
}
