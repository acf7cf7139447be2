import { rolloutSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, errorContent, notFoundError } from "../../http/api.ts";
import { rolloutIdParams } from "./id-param.ts";

export const route = createRoute({
  method: "post",
  path: "/api/v1/admin/rollouts/{id}/pause",
  tags: ["Fleet rollouts (staff)"],
  summary: "Pause a running rollout: no new updates start (running ones finish).",
  request: { params: rolloutIdParams },
  responses: {
    200: { description: "The rollout", content: { "application/json": { schema: rolloutSchema } } },
    409: { description: "Not in a state that allows this", content: errorContent },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.rollouts.pause(c.get("actor"), c.req.valid("param").id), 200));
}
