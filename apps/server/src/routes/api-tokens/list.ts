import { apiTokenListSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors } from "../../http/api.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/api-tokens",
  tags: ["API tokens"],
  summary: "Your personal API tokens in this workspace (names and prefixes; a token is shown only when created).",
  responses: { 200: { description: "Your tokens", content: { "application/json": { schema: apiTokenListSchema } } }, ...commonErrors },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json({ items: await core.apiTokens.list(c.get("actor")) }, 200));
}
