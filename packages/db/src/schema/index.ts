export * from "./api-tokens.ts";
export * from "./app.ts";
export * from "./audit.ts";
export * from "./auth.ts";
export * from "./monitoring.ts";
export * from "./support.ts";
export * from "./updates.ts";
