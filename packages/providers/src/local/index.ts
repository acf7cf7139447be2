// The `local` provider: deploy to this machine (see driver.ts).
export { createLocalDriver, type LocalCreateInput, type LocalDriver, type LocalDriverOptions, type LocalRenderContext } from "./driver.ts";
export { LocalToolchainError, nodeSupported } from "./toolchain.ts";
