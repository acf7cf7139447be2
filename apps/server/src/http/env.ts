import type { Actor, Core } from "@clawcloud/core";
import type { AgentConnections } from "../agent-gateway/connections.ts";
import type { AppLogger } from "../logger.ts";
import type { Keepalive } from "../relay/keepalive.ts";
import type { AgentBundle } from "./agent-bundle.ts";

/** What each request carries through the middleware chain. */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: AppLogger;
    actor: Actor;
  };
}

export interface AppDeps {
  core: Core;
  log: AppLogger;
  publicUrl: string;
  version: string;
  trustProxy: boolean;
  /** The agent sockets this process holds. */
  agents: AgentConnections;
  /** Pings for browser sockets; one per process (created by the app when absent). */
  keepalive?: Keepalive;
  /** The built agent, served to new servers; absent when not built. */
  agentBundle: AgentBundle | undefined;
  /** The built web app; absent → the API alone (tests of the API). */
  webRoot?: string | undefined;
}
