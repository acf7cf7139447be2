import { awsSetupSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { type Api, commonErrors } from "../../http/api.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/credentials/aws-setup",
  tags: ["Cloud accounts"],
  summary: "What an AWS IAM role for Claw Cloud needs: this workspace's external ID, the trust policy and the permissions policy.",
  responses: { 200: { description: "AWS role set-up", content: { "application/json": { schema: awsSetupSchema } } }, ...commonErrors },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, (c) => c.json(core.credentials.awsSetup(c.get("actor")), 200));
}
