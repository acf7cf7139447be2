import { alertSettingsSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors } from "../../http/api.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/me/alerts",
  tags: ["Account"],
  summary: "The signed-in user's alert channels: e-mail (on by default) and a signed webhook. The webhook secret is never shown again.",
  responses: {
    200: { description: "Alert settings", content: { "application/json": { schema: alertSettingsSchema } } },
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.monitoring.alertSettings(c.get("actor")), 200));
}
