import { instanceListSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors } from "../../http/api.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/instances",
  tags: ["Instances"],
  summary: "The workspace's assistants (instances), newest first.",
  responses: { 200: { description: "Instances", content: { "application/json": { schema: instanceListSchema } } }, ...commonErrors },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.instances.list(c.get("actor")), 200));
}
