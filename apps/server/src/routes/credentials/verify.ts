import { credentialSummarySchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, errorContent, notFoundError } from "../../http/api.ts";
import { credentialIdParams } from "./id-param.ts";

export const route = createRoute({
  method: "post",
  path: "/api/v1/credentials/{id}/verify",
  tags: ["Cloud accounts"],
  summary: "Check the stored token with the provider again; an expired or revoked token is marked invalid with the reason.",
  request: { params: credentialIdParams },
  responses: {
    200: { description: "The outcome", content: { "application/json": { schema: credentialSummarySchema } } },
    409: { description: "The stored secret cannot be opened (CREDENTIAL_UNAVAILABLE)", content: errorContent },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.credentials.verify(c.get("actor"), c.req.valid("param").id), 200));
}
