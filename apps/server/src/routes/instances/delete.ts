import { instanceSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, notFoundError } from "../../http/api.ts";
import { instanceIdParams } from "./id-param.ts";

export const route = createRoute({
  method: "delete",
  path: "/api/v1/instances/{id}",
  tags: ["Instances"],
  summary: "Delete an instance: its server (and firewall) in your cloud account first, then the record.",
  request: { params: instanceIdParams },
  responses: {
    202: {
      description: "Deleting; the instance disappears from the list when done",
      content: { "application/json": { schema: instanceSchema } },
    },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.instances.delete(c.get("actor"), c.req.valid("param").id), 202));
}
