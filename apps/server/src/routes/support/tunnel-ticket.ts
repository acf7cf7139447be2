import { supportTunnelTicketSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, errorContent, notFoundError } from "../../http/api.ts";
import { instanceIdParams } from "../instances/id-param.ts";

export const route = createRoute({
  method: "post",
  path: "/api/v1/support/instances/{id}/tunnel",
  tags: ["Support access"],
  summary:
    "Staff only: a single-use ticket (60 s) for an SSH tunnel to an instance whose owner granted support access. Use it with `npm run support -- ssh-proxy`.",
  request: { params: instanceIdParams },
  responses: {
    201: { description: "The ticket", content: { "application/json": { schema: supportTunnelTicketSchema } } },
    409: { description: "No active support grant on this instance", content: errorContent },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.support.tunnelTicket(c.get("actor"), c.req.valid("param").id), 201));
}
