import { grantSupportAccessSchema, supportAccessSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, errorContent, notFoundError } from "../../http/api.ts";
import { instanceIdParams } from "../instances/id-param.ts";

export const route = createRoute({
  method: "post",
  path: "/api/v1/instances/{id}/support-access",
  tags: ["Support access"],
  summary:
    "Let Claw Cloud's support reach this server over SSH for 1–24 hours. The agent installs the support key with a hard expiry it enforces itself; SSH goes only through the agent's outbound connection.",
  request: { params: instanceIdParams, body: { content: { "application/json": { schema: grantSupportAccessSchema } }, required: true } },
  responses: {
    201: {
      description: "Granted; `grant.expiresAt` is when access ends",
      content: { "application/json": { schema: supportAccessSchema } },
    },
    409: {
      description: "Already granted, the server is not running, or support access is not set up on this server (SUPPORT_UNAVAILABLE)",
      content: errorContent,
    },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.support.grant(c.get("actor"), c.req.valid("param").id, c.req.valid("json")), 201));
}
