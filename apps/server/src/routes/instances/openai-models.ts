import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, errorContent, notFoundError } from "../../http/api.ts";
import type { RouteDeps } from "../deps.ts";
import { instanceIdParams } from "./id-param.ts";
import { relayHttp } from "./openai-proxy.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/instances/{id}/openai/v1/models",
  tags: ["Chat"],
  summary: "The OpenAI-compatible model list of your assistant (its agents: openclaw, openclaw/default, …).",
  request: { params: instanceIdParams },
  responses: {
    200: { description: "OpenClaw's model list" },
    409: { description: "The instance's agent is not connected", content: errorContent },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core, deps: RouteDeps): void {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    await core.instances.get(c.get("actor"), id);
    return (await relayHttp(deps.agents, id, { kind: "http", method: "GET", path: "/v1/models" }, c.req.raw.signal)) as never;
  });
}
