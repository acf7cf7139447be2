import { meSchema, updateMeSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors } from "../../http/api.ts";

export const route = createRoute({
  method: "patch",
  path: "/api/v1/me",
  tags: ["Account"],
  summary: "Change the signed-in user's display name.",
  request: { body: { required: true, content: { "application/json": { schema: updateMeSchema } } } },
  responses: { 200: { description: "The updated account", content: { "application/json": { schema: meSchema } } }, ...commonErrors },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.me.update(c.get("actor"), c.req.valid("json")), 200));
}
