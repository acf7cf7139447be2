import { instanceSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, errorContent, notFoundError } from "../../http/api.ts";
import { instanceIdParams } from "./id-param.ts";

export const route = createRoute({
  method: "post",
  path: "/api/v1/instances/{id}/retry",
  tags: ["Instances"],
  summary: "Retry a failed deploy from the start; a server the failed attempt left is adopted, not duplicated.",
  request: { params: instanceIdParams },
  responses: {
    202: { description: "Deploying again", content: { "application/json": { schema: instanceSchema } } },
    409: { description: "The instance has not failed", content: errorContent },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.instances.retry(c.get("actor"), c.req.valid("param").id), 202));
}
