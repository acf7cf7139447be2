import { auditQuerySchema as auditQuery } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute, z } from "@hono/zod-openapi";
import { type Api, commonErrors } from "../../http/api.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/audit-log.csv",
  tags: ["Audit log"],
  summary: "The workspace's audit log as CSV (same filters as the list; at most 10,000 rows, newest first).",
  request: { query: auditQuery.omit({ cursor: true, limit: true }) },
  responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } }, ...commonErrors },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => {
    const csv = await core.audit.exportCsv(c.get("actor"), c.req.valid("query"));
    const day = new Date().toISOString().slice(0, 10);
    return c.body(csv, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="clawcloud-audit-${day}.csv"`,
    });
  });
}
