import { auditListSchema, auditQuerySchema as auditQuery } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors } from "../../http/api.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/audit-log",
  tags: ["Audit log"],
  summary: "The workspace's audit log, newest first: filter by action, actor and time; page with nextCursor.",
  request: { query: auditQuery },
  responses: { 200: { description: "Audit entries", content: { "application/json": { schema: auditListSchema } } }, ...commonErrors },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.audit.list(c.get("actor"), c.req.valid("query")), 200));
}
