import { setModelResultSchema, setModelSchema } from "@clawcloud/contracts";
import { AppError, type Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { AgentCommandError } from "../../agent-gateway/agent-link.ts";
import { type Api, commonErrors, errorContent, notFoundError } from "../../http/api.ts";
import type { RouteDeps } from "../deps.ts";
import { instanceIdParams } from "./id-param.ts";

export const route = createRoute({
  method: "put",
  path: "/api/v1/instances/{id}/model",
  tags: ["Chat"],
  description: "400 also when the sealed box cannot be opened by the agent or its content is not valid.",
  summary:
    "Set the model OpenClaw uses. Send the key sealed (libsodium crypto_box_seal of the JSON {baseUrl?, apiKey, model, api?}) to the instance's agentPublicKey: only the agent can open it. The agent tests the model with one call and applies it only if that call works; the answer says how it went.",
  request: { params: instanceIdParams, body: { required: true, content: { "application/json": { schema: setModelSchema } } } },
  responses: {
    200: {
      description: "The test call's outcome, and the model now in use",
      content: { "application/json": { schema: setModelResultSchema } },
    },
    409: { description: "The instance's agent is not connected", content: errorContent },
    502: { description: "OpenClaw refused the settings", content: errorContent },
    504: { description: "The agent did not answer in time", content: errorContent },
    ...notFoundError,
    ...commonErrors,
  },
});

const agentResult = z.object({
  applied: z.boolean(),
  check: setModelResultSchema.shape.check,
  model: z.object({ model: z.string(), api: z.string(), host: z.string().nullable() }),
});

/** The agent needs up to ~30 s for the provider's answer and a few more for OpenClaw's config. */
const MODEL_SET_TIMEOUT_MS = 90_000;

export function register(app: Api, core: Core, deps: RouteDeps): void {
  app.openapi(route, async (c) => {
    const actor = c.get("actor");
    const { id } = c.req.valid("param");
    const before = await core.instances.get(actor, id);
    let data: unknown;
    try {
      data = await deps.agents.call(id, "model.set", { sealed: c.req.valid("json").sealed }, MODEL_SET_TIMEOUT_MS);
    } catch (err) {
      if (!(err instanceof AgentCommandError)) throw err;
      if (err.code === "SEALED_BOX_INVALID" || err.code === "INVALID_ARGS") throw new AppError("SEALED_BOX_INVALID", err.message);
      throw new AppError("PROVIDER_UNAVAILABLE", `The instance could not apply the model: ${err.message}`);
    }
    const parsed = agentResult.safeParse(data);
    if (!parsed.success)
      throw new AppError("PROVIDER_UNAVAILABLE", "The instance's agent gave an answer this server does not understand. Update the agent.");
    const { applied, check, model } = parsed.data;
    const now = applied ? await core.instances.recordModel(actor, id, model) : before.model;
    return c.json({ applied, check, model: now }, 200);
  });
}
