import { type Health, healthSchema } from "@clawcloud/contracts";
import { createRoute } from "@hono/zod-openapi";
import type { Api } from "../../http/api.ts";

export const route = createRoute({
  method: "get",
  path: "/api/health",
  tags: ["System"],
  summary: "Liveness: the server is up and its database is open.",
  responses: { 200: { description: "Healthy", content: { "application/json": { schema: healthSchema } } } },
});

export function register(app: Api, health: Health): void {
  app.openapi(route, (c) => c.json(health, 200));
}
