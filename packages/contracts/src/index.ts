export * from "./agent/v1.ts";
export * from "./api/auth.ts";
export * from "./api/common.ts";
export * from "./api/credentials.ts";
export * from "./api/health.ts";
export * from "./api/instances.ts";
export * from "./api/me.ts";
export * from "./errors.ts";
