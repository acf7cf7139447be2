import { rolloutSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, notFoundError } from "../../http/api.ts";
import { rolloutIdParams } from "./id-param.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/admin/rollouts/{id}",
  tags: ["Fleet rollouts (staff)"],
  summary: "One rollout with each ring's progress.",
  request: { params: rolloutIdParams },
  responses: {
    200: { description: "The rollout", content: { "application/json": { schema: rolloutSchema } } },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.rollouts.get(c.get("actor"), c.req.valid("param").id), 200));
}
