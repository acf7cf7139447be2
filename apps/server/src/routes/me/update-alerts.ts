import { alertSettingsSchema, updateAlertSettingsSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors } from "../../http/api.ts";

export const route = createRoute({
  method: "patch",
  path: "/api/v1/me/alerts",
  tags: ["Account"],
  summary:
    "Change alert channels. A new webhook URL (or rotateWebhookSecret) returns its signing secret once, in `webhookSecret`. Webhooks are POSTed with `ClawCloud-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + '.' + body)>`.",
  request: { body: { required: true, content: { "application/json": { schema: updateAlertSettingsSchema } } } },
  responses: {
    200: { description: "The updated settings", content: { "application/json": { schema: alertSettingsSchema } } },
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.monitoring.updateAlertSettings(c.get("actor"), c.req.valid("json")), 200));
}
