import { operationSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, errorContent, notFoundError } from "../../http/api.ts";
import { instanceIdParams } from "./id-param.ts";

export const route = createRoute({
  method: "post",
  path: "/api/v1/instances/{id}/rollback",
  tags: ["Updates"],
  summary: "Roll back to the version before the last update: reinstall it and restore the backup taken before that update.",
  request: { params: instanceIdParams },
  responses: {
    202: { description: "Rollback started", content: { "application/json": { schema: operationSchema } } },
    409: { description: "Nothing to roll back to, not running, or another change is running", content: errorContent },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.updates.rollback(c.get("actor"), c.req.valid("param").id), 202));
}
