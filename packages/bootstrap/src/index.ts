// @clawcloud/bootstrap: the cloud-init user-data every cloud deploy uses, and the same install
// steps as a script for the local provider. See README.md.
// The proxy/CA list lives in contracts (the agent uses it too); re-exported for the providers and e2e tests.
export { PASSTHROUGH_ENV } from "@clawcloud/contracts";
export {
  BOOTSTRAP_EVENTS_PATH,
  BootstrapInputError,
  BootstrapSizeError,
  CLOUD_BOOTSTRAP_SCRIPT,
  CLOUD_BOOTSTRAP_SCRIPT_SHA256,
  CLOUD_GATEWAY_PORT,
  CLOUD_LOG_FILE,
  CLOUD_PATHS,
  DEFAULT_NODE_DIST_URL,
  type LocalLayout,
  type LocalRenderResult,
  localLayout,
  MAX_USER_DATA_BYTES,
  type RenderResult,
  recommendedSwapMb,
  render,
  renderLocalInstall,
  type SpawnSpec,
} from "./render.ts";
export {
  type CloudBootstrapInput,
  type CloudBootstrapValues,
  cloudBootstrapInputSchema,
  type LocalInstallInput,
  type LocalInstallValues,
  localInstallInputSchema,
  MAX_BUNDLE_URL_LENGTH,
  MAX_SSH_ALLOW_FROM,
  MAX_SSH_KEY_LENGTH,
  MAX_URL_LENGTH,
  mirrorsSchema,
} from "./schema.ts";
export { shellQuote } from "./shell.ts";
export {
  BOOTSTRAP_STEPS,
  type BootstrapStep,
  type BootstrapStepName,
  type BootstrapTarget,
  bootstrapSteps,
  parseStepLine,
  type StepEvent,
} from "./steps.ts";
