import { instanceDetailSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, notFoundError } from "../../http/api.ts";
import { instanceIdParams } from "./id-param.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/instances/{id}",
  tags: ["Instances"],
  summary: "One instance: its state, provisioning steps with times, versions and the agent's public key.",
  request: { params: instanceIdParams },
  responses: {
    200: { description: "The instance", content: { "application/json": { schema: instanceDetailSchema } } },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.instances.get(c.get("actor"), c.req.valid("param").id), 200));
}
