import { createApiTokenSchema, createdApiTokenSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, errorContent } from "../../http/api.ts";

export const route = createRoute({
  method: "post",
  path: "/api/v1/api-tokens",
  tags: ["API tokens"],
  summary:
    "Create a personal API token for your instances' OpenAI-compatible endpoint. The token is in this answer only: it is stored as a hash.",
  request: { body: { required: true, content: { "application/json": { schema: createApiTokenSchema } } } },
  responses: {
    201: { description: "Created; copy the token now", content: { "application/json": { schema: createdApiTokenSchema } } },
    409: { description: "Too many tokens", content: errorContent },
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => {
    c.header("cache-control", "no-store");
    return c.json(await core.apiTokens.create(c.get("actor"), c.req.valid("json")), 201);
  });
}
