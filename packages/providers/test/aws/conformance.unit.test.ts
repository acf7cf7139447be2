// The shared ComputeProviderV1 conformance suite, run against the AWS driver and the EC2 simulator.
import { runConformanceSuite } from "../conformance.ts";
import { awsHarness } from "./harness.ts";

runConformanceSuite("aws", () => awsHarness());
