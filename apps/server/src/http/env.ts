import type { Actor, Core } from "@clawcloud/core";
import type { AppLogger } from "../logger.ts";

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
  /** The built web app; absent → the API alone (tests of the API). */
  webRoot?: string | undefined;
}
