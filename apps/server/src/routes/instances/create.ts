import { createInstanceSchema, instanceSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors, errorContent } from "../../http/api.ts";

export const route = createRoute({
  method: "post",
  path: "/api/v1/instances",
  tags: ["Instances"],
  summary: "Deploy an assistant: to this machine (`local`) or to a server in one of your cloud accounts.",
  description:
    "The instance is saved with its provisioning job in one transaction; follow its progress with GET /api/v1/instances/{id} or the event stream.",
  request: { body: { required: true, content: { "application/json": { schema: createInstanceSchema } } } },
  responses: {
    201: { description: "Deploy started", content: { "application/json": { schema: instanceSchema } } },
    403: { description: "Verify your e-mail before deploying to a cloud (EMAIL_NOT_VERIFIED)", content: errorContent },
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.instances.create(c.get("actor"), c.req.valid("json")), 201));
}
