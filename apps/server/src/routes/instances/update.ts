import { operationSchema, updateInstanceSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, errorContent, notFoundError } from "../../http/api.ts";
import { instanceIdParams } from "./id-param.ts";

export const route = createRoute({
  method: "post",
  path: "/api/v1/instances/{id}/update",
  tags: ["Updates"],
  summary: "Update OpenClaw: verified backup, OpenClaw's updater with an exact version, health check; rolls back by itself on failure.",
  description: "Follow the steps on the instance's timeline (GET /api/v1/instances/{id} or its event stream).",
  request: {
    params: instanceIdParams,
    body: { required: false, content: { "application/json": { schema: updateInstanceSchema } } },
  },
  responses: {
    202: { description: "Update started", content: { "application/json": { schema: operationSchema } } },
    409: { description: "Not running, pinned elsewhere, already on that version, or another change is running", content: errorContent },
    503: { description: "The newest version is not known yet", content: errorContent },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) =>
    c.json(await core.updates.update(c.get("actor"), c.req.valid("param").id, c.req.valid("json") ?? {}), 202),
  );
}
