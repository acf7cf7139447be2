import { createCredentialSchema, credentialSummarySchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, errorContent } from "../../http/api.ts";

export const route = createRoute({
  method: "post",
  path: "/api/v1/credentials",
  tags: ["Cloud accounts"],
  summary: "Add a cloud account. The token is checked live with the provider, then stored encrypted; it is never returned.",
  request: { body: { required: true, content: { "application/json": { schema: createCredentialSchema } } } },
  responses: {
    201: { description: "Added and verified", content: { "application/json": { schema: credentialSummarySchema } } },
    409: { description: "This token is already added", content: errorContent },
    422: { description: "The provider refused the token, or it lacks permissions (named in the message)", content: errorContent },
    502: { description: "The provider did not answer", content: errorContent },
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.credentials.create(c.get("actor"), c.req.valid("json")), 201));
}
