import { supportAccessSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, notFoundError } from "../../http/api.ts";
import { instanceIdParams } from "../instances/id-param.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/instances/{id}/support-access",
  tags: ["Support access"],
  summary: "Whether Claw Cloud's support can reach this server now, and the latest grant.",
  request: { params: instanceIdParams },
  responses: {
    200: { description: "The current support access", content: { "application/json": { schema: supportAccessSchema } } },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.support.get(c.get("actor"), c.req.valid("param").id), 200));
}
