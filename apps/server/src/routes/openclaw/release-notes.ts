import { openclawVersionSchema, releaseNotesSchema } from "@clawcloud/contracts";
import type { Core } from "@clawcloud/core";
import { createRoute, z } from "@hono/zod-openapi";
import { type Api, commonErrors } from "../../http/api.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/openclaw/releases/{version}",
  tags: ["Updates"],
  summary: "A version's release notes (its section of OpenClaw's changelog); null when not known.",
  request: { params: z.object({ version: openclawVersionSchema }) },
  responses: {
    200: { description: "The notes", content: { "application/json": { schema: releaseNotesSchema } } },
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => c.json(await core.updates.releaseNotes(c.req.valid("param").version), 200));
}
