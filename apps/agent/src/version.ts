// The agent's own version, taken from its package.json (inlined into the bundle at build time).
import pkg from "../package.json" with { type: "json" };

export const AGENT_VERSION: string = pkg.version;
