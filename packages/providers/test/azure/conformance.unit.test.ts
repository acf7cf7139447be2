// The shared ComputeProviderV1 conformance suite, run against the Azure driver and the ARM simulator.
import { vi } from "vitest";
import { runConformanceSuite } from "../conformance.ts";
import { azureHarness } from "./harness.ts";

// The official SDKs load their clients (GCP: protobuf descriptors) on first use: seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

runConformanceSuite("azure", () => azureHarness());
