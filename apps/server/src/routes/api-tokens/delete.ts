import { idParam } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { type Api, commonErrors, notFoundError } from "../../http/api.ts";

export const route = createRoute({
  method: "delete",
  path: "/api/v1/api-tokens/{id}",
  tags: ["API tokens"],
  summary: "Revoke a personal API token: it stops working at once.",
  request: { params: z.object({ id: idParam("pat") }) },
  responses: { 204: { description: "Revoked" }, ...notFoundError, ...commonErrors },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => {
    await core.apiTokens.revoke(c.get("actor"), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
