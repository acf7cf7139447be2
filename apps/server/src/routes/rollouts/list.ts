import { rolloutListSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, notFoundError } from "../../http/api.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/admin/rollouts",
  tags: ["Fleet rollouts (staff)"],
  summary: "Fleet rollouts, newest first, with each ring's progress. Staff only (others get 404).",
  responses: {
    200: { description: "Rollouts", content: { "application/json": { schema: rolloutListSchema } } },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.rollouts.list(c.get("actor")), 200));
}
