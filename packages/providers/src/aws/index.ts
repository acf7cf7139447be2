export { CURATED_INSTANCE_TYPES, monthlyPriceCents, ON_DEMAND_USD_PER_HOUR, ROOT_VOLUME_GB } from "./catalog.ts";
export { type AwsCredentials, awsCredentialsSchema, type BaseCredentialsProvider } from "./credentials.ts";
export { type AwsDriverOptions, clientTokenFor, createAwsDriver, MAX_USER_DATA_BYTES, parseServerId, serverIdOf } from "./driver.ts";
export { AWS_INSTANCE_TAG_KEY, awsGuide } from "./guide.ts";
