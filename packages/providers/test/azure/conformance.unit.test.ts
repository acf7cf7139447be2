// The shared ComputeProviderV1 conformance suite, run against the Azure driver and the ARM simulator.
import { runConformanceSuite } from "../conformance.ts";
import { azureHarness } from "./harness.ts";

runConformanceSuite("azure", () => azureHarness());
