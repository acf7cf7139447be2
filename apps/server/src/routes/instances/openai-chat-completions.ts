import type { Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { type Api, commonErrors, errorContent, notFoundError } from "../../http/api.ts";
import type { RouteDeps } from "../deps.ts";
import { instanceIdParams } from "./id-param.ts";
import { relayHttp } from "./openai-proxy.ts";

/** The OpenAI request, loosely: OpenClaw validates the rest. */
const chatCompletionRequest = z
  .looseObject({
    model: z.string().max(200).optional(),
    messages: z.array(z.looseObject({ role: z.string().max(32) })).min(1, "must hold at least one message"),
    stream: z.boolean().optional(),
    /** The same `user` keeps one conversation on the instance (OpenClaw's session). */
    user: z.string().max(200).optional(),
  })
  .meta({ id: "ChatCompletionRequest" });

export const route = createRoute({
  method: "post",
  path: "/api/v1/instances/{id}/openai/v1/chat/completions",
  tags: ["Chat"],
  summary:
    "Your assistant as an OpenAI-compatible endpoint: chat completions, streamed (SSE) or not, relayed to OpenClaw on the instance. Authenticate with the session or a personal API token (Authorization: Bearer cc_pat_…). Nothing is stored on the way.",
  request: { params: instanceIdParams, body: { required: true, content: { "application/json": { schema: chatCompletionRequest } } } },
  responses: {
    200: { description: "OpenClaw's answer: a chat.completion, or text/event-stream chunks ending in [DONE]" },
    409: { description: "The instance's agent is not connected", content: errorContent },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core, deps: RouteDeps): void {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    await core.instances.get(c.get("actor"), id);
    const req = c.req.valid("json");
    // OpenClaw's `model` names an agent ("openclaw", "openclaw/<agent>"); other names mean the default one.
    const model = req.model && /^(openclaw(\/[a-z0-9_-]+)?|agent:[a-z0-9_-]+)$/.test(req.model) ? req.model : "openclaw/default";
    const body = JSON.stringify({ ...req, model });
    return (await relayHttp(
      deps.agents,
      id,
      { kind: "http", method: "POST", path: "/v1/chat/completions", body },
      c.req.raw.signal,
    )) as never;
  });
}
