export { GCP_MACHINE_TYPES, monthlyPriceCents as gcpMonthlyPriceCents } from "./catalog.ts";
export { firewallRules, MAX_USER_DATA_BYTES as GCP_MAX_USER_DATA_BYTES } from "./create-server.ts";
export type { GcpCredentials, GcpServiceAccountKey } from "./credentials.ts";
export { createGcpDriver } from "./driver.ts";
export { type GcpDriverOptions, requestIdFor } from "./gce.ts";
export { GCP_REQUIRED_PERMISSIONS, GCP_ROLES, gcpGuide } from "./guide.ts";
export { GCP_INSTANCE_LABEL, namesFor as gcpNamesFor, parseServerId as parseGcpServerId } from "./names.ts";
