import { sizeListSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, errorContent, notFoundError } from "../../http/api.ts";
import { credentialIdParams } from "./id-param.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/credentials/{id}/sizes",
  tags: ["Cloud accounts"],
  summary: "Server sizes with vCPU, memory, disk and monthly price (cached for 5 minutes).",
  request: { params: credentialIdParams },
  responses: {
    200: { description: "Sizes", content: { "application/json": { schema: sizeListSchema } } },
    409: { description: "The stored secret cannot be opened", content: errorContent },
    502: { description: "The provider did not answer", content: errorContent },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.credentials.sizes(c.get("actor"), c.req.valid("param").id), 200));
}
