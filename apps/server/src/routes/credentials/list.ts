import { credentialListSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors } from "../../http/api.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/credentials",
  tags: ["Cloud accounts"],
  summary: "The workspace's cloud accounts. Secrets never leave the server: only the last 4 characters.",
  responses: { 200: { description: "Cloud accounts", content: { "application/json": { schema: credentialListSchema } } }, ...commonErrors },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.credentials.list(c.get("actor")), 200));
}
