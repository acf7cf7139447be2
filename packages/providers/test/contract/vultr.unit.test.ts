import { vultrHarness } from "../harnesses.ts";
import { runContractSuite } from "./harness.ts";

runContractSuite("vultr", "vultr.openapi.json", () => vultrHarness());
