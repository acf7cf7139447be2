// The shared ComputeProviderV1 conformance suite, run against the GCP driver and the Compute Engine simulator.
import { runConformanceSuite } from "../conformance.ts";
import { gcpHarness } from "./harness.ts";

runConformanceSuite("gcp", () => gcpHarness());
