import { instanceMetricsSchema, metricsQuerySchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, notFoundError } from "../../http/api.ts";
import { instanceIdParams } from "./id-param.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/instances/{id}/metrics",
  tags: ["Instances"],
  summary:
    "The instance's CPU, memory, disk and gateway health over the last hour, day or week, from its heartbeats (1-minute points kept 7 days), downsampled to at most ~170 points.",
  request: { params: instanceIdParams, query: metricsQuerySchema },
  responses: {
    200: { description: "The metrics", content: { "application/json": { schema: instanceMetricsSchema } } },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) =>
    c.json(await core.monitoring.metrics(c.get("actor"), c.req.valid("param").id, c.req.valid("query")), 200),
  );
}
