import { hetznerHarness } from "../harnesses.ts";
import { runContractSuite } from "./harness.ts";

runContractSuite("hetzner", "hetzner.openapi.json", () => hetznerHarness());
