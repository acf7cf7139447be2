import { pinInstanceSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute, z } from "@hono/zod-openapi";
import { type Api, commonErrors, notFoundError } from "../../http/api.ts";
import { instanceIdParams } from "./id-param.ts";

export const route = createRoute({
  method: "put",
  path: "/api/v1/instances/{id}/pin",
  tags: ["Updates"],
  summary: "Pin the instance to an exact OpenClaw version (rollouts skip it), or unpin it with null.",
  request: { params: instanceIdParams, body: { required: true, content: { "application/json": { schema: pinInstanceSchema } } } },
  responses: {
    200: { description: "The pin", content: { "application/json": { schema: z.object({ pinnedVersion: z.string().nullable() }) } } },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) =>
    c.json(await core.updates.pin(c.get("actor"), c.req.valid("param").id, c.req.valid("json").version), 200),
  );
}
