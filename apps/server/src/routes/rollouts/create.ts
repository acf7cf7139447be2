import { createRolloutSchema, rolloutSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, errorContent, notFoundError } from "../../http/api.ts";

export const route = createRoute({
  method: "post",
  path: "/api/v1/admin/rollouts",
  tags: ["Fleet rollouts (staff)"],
  summary: "Roll a version out to the fleet in rings (default 1 % → 10 % → 100 % of eligible instances) with a bake time between rings.",
  description:
    "Eligible: ready, not pinned, on an older version. A ring whose failed + rolled-back share exceeds failureThreshold halts the rollout.",
  request: { body: { required: true, content: { "application/json": { schema: createRolloutSchema } } } },
  responses: {
    201: { description: "Rollout started", content: { "application/json": { schema: rolloutSchema } } },
    409: { description: "Another rollout is in progress", content: errorContent },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.rollouts.create(c.get("actor"), c.req.valid("json")), 201));
}
