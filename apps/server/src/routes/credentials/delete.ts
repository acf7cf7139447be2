import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, notFoundError } from "../../http/api.ts";
import { credentialIdParams } from "./id-param.ts";

export const route = createRoute({
  method: "delete",
  path: "/api/v1/credentials/{id}",
  tags: ["Cloud accounts"],
  summary: "Remove a cloud account and its encrypted secret. Servers already deployed keep running.",
  request: { params: credentialIdParams },
  responses: { 204: { description: "Removed" }, ...notFoundError, ...commonErrors },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => {
    await core.credentials.delete(c.get("actor"), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
