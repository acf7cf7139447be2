import { regionListSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, errorContent, notFoundError } from "../../http/api.ts";
import { credentialIdParams } from "./id-param.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/credentials/{id}/regions",
  tags: ["Cloud accounts"],
  summary: "Regions this cloud account can deploy to (cached for 5 minutes).",
  request: { params: credentialIdParams },
  responses: {
    200: { description: "Regions", content: { "application/json": { schema: regionListSchema } } },
    409: { description: "The stored secret cannot be opened", content: errorContent },
    502: { description: "The provider did not answer", content: errorContent },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.credentials.regions(c.get("actor"), c.req.valid("param").id), 200));
}
