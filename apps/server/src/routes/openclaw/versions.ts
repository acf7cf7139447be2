import { openclawVersionsSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors } from "../../http/api.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/openclaw/versions",
  tags: ["Updates"],
  summary: "OpenClaw's newest version per channel, as last read from the package registry, and when.",
  description: "`stale` is true when the last attempt to reach the registry failed: the answer is as of `fetchedAt`.",
  responses: {
    200: { description: "The channels", content: { "application/json": { schema: openclawVersionsSchema } } },
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.updates.versions(), 200));
}
