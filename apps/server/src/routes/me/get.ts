import { meSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors } from "../../http/api.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/me",
  tags: ["Account"],
  summary: "The signed-in user, the current workspace and every workspace they belong to.",
  responses: { 200: { description: "The account", content: { "application/json": { schema: meSchema } } }, ...commonErrors },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.me.get(c.get("actor")), 200));
}
