export type { AzureDriverOptions } from "./arm.ts";
export { AZURE_SIZES, monthlyPriceCents as azureMonthlyPriceCents } from "./catalog.ts";
export { MAX_CUSTOM_DATA_BYTES, securityRules } from "./create-server.ts";
export type { AzureCredentials } from "./credentials.ts";
export { createAzureDriver } from "./driver.ts";
export { AZURE_FORBIDDEN_ACTIONS, AZURE_REQUIRED_ACTIONS, azureGuide } from "./guide.ts";
export { AZURE_INSTANCE_TAG, namesFor as azureNamesFor } from "./names.ts";
