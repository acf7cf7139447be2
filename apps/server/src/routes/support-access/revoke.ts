import { supportAccessSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, notFoundError } from "../../http/api.ts";
import { instanceIdParams } from "../instances/id-param.ts";

export const route = createRoute({
  method: "delete",
  path: "/api/v1/instances/{id}/support-access",
  tags: ["Support access"],
  summary: "Revoke support access now: the agent removes the key and closes any tunnel within seconds.",
  request: { params: instanceIdParams },
  responses: {
    200: { description: "Revoked (or there was nothing to revoke)", content: { "application/json": { schema: supportAccessSchema } } },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.support.revoke(c.get("actor"), c.req.valid("param").id), 200));
}
