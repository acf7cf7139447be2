// The agent's own version: its package.json's, or the one a build was given (scripts/build.ts
// defines __CLAWCLOUD_AGENT_VERSION__; tests build bundles of other versions to update to).
import pkg from "../package.json" with { type: "json" };

declare const __CLAWCLOUD_AGENT_VERSION__: string | undefined;

export const AGENT_VERSION: string = typeof __CLAWCLOUD_AGENT_VERSION__ === "string" ? __CLAWCLOUD_AGENT_VERSION__ : pkg.version;
