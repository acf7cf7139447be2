// Authenticates an agent by its bearer credential before a WebSocket upgrade; sets the instance id.
import { AppError, type Core } from "@clawcloud/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/env.ts";

export function agentAuth(core: Core): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.req.header("authorization") ?? "";
    const credential = /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(auth)?.[1];
    const instanceId = credential ? await core.agents.authenticate(credential) : undefined;
    if (!instanceId) throw new AppError("UNAUTHENTICATED", "Unknown or revoked agent credential.");
    c.set("agentInstanceId" as never, instanceId as never);
    return next();
  };
}

export const agentInstanceId = (c: { get(key: never): unknown }): string => c.get("agentInstanceId" as never) as string;
