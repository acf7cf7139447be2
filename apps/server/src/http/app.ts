// The HTTP application: middleware, the auth gate, the versioned API, its documentation and the
// web app, in that order (the web app's catch-all must come last).
import type { Health } from "@clawcloud/contracts";
import { AppError } from "@clawcloud/core";
import { bodyLimit } from "hono/body-limit";
import { mountAgentGateway } from "../agent-gateway/routes.ts";
import { mountChatSocket } from "../relay/chat-socket.ts";
import { Keepalive } from "../relay/keepalive.ts";
import * as health from "../routes/health/get.ts";
import { registerV1Routes } from "../routes/index.ts";
import { mountAgentBundle } from "./agent-bundle.ts";
import { createApi } from "./api.ts";
import { authGate } from "./auth-gate.ts";
import { docsCss, renderDocsPage } from "./docs-page.ts";
import type { AppDeps } from "./env.ts";
import { errorResponse, onError } from "./errors.ts";
import { csrfGuard } from "./middleware/csrf.ts";
import { jsonBody } from "./middleware/json-body.ts";
import { requestContext } from "./middleware/request-context.ts";
import { securityHeaders } from "./middleware/security-headers.ts";
import { mountWebApp } from "./web-app.ts";

export const MAX_BODY_BYTES = 64 * 1024;
/** OpenAI-compatible requests carry whole conversations. */
export const MAX_OPENAI_BODY_BYTES = 1024 * 1024;
const OPENAI_PATH = /^\/api\/v1\/instances\/[^/]+\/openai\//;
const API_TOKEN = /^Bearer (cc_pat_[A-Za-z0-9_-]{1,100})$/;

export function createApp(deps: AppDeps) {
  const { core } = deps;
  const app = createApi();
  const publicOrigin = new URL(deps.publicUrl).origin;

  app.use(requestContext(deps.log));
  app.use(securityHeaders({ https: deps.publicUrl.startsWith("https://") }));
  app.onError(onError);
  app.notFound((c) => errorResponse(c, "NOT_FOUND", `Nothing is at ${c.req.method} ${c.req.path}.`));

  const limit = (maxSize: number) =>
    bodyLimit({ maxSize, onError: (c) => errorResponse(c, "PAYLOAD_TOO_LARGE", `The request body is larger than ${maxSize / 1024} KB.`) });
  const smallBodies = limit(MAX_BODY_BYTES);
  const openaiBodies = limit(MAX_OPENAI_BODY_BYTES);
  app.use("/api/*", (c, next) => (OPENAI_PATH.test(c.req.path) ? openaiBodies(c, next) : smallBodies(c, next)));
  app.use("/api/*", csrfGuard(publicOrigin));
  app.all("/api/auth/*", authGate(core, { trustProxy: deps.trustProxy }));
  mountAgentGateway(app, core, deps.agents);
  // Before the /api/v1 middleware: the chat socket answers refusals as WebSocket close codes.
  mountChatSocket(app, core, deps.agents, deps.keepalive ?? new Keepalive(), publicOrigin);
  mountAgentBundle(app, deps.agentBundle);

  const healthBody: Health = { status: "ok", version: deps.version, database: core.databaseKind };
  health.register(app, healthBody);

  app.doc31("/api/v1/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Claw Cloud API",
      version: deps.version,
      description:
        "Deploy and run your own AI assistant in your own cloud. Authenticate with the session cookie from /api/auth/sign-in/email.",
    },
  });
  app.get("/api/docs", async (c) => {
    const doc = (await (await app.request("/api/v1/openapi.json")).json()) as Record<string, unknown>;
    return renderDocsPage(c, doc);
  });
  app.get("/api/docs/docs.css", (c) => c.body(docsCss, 200, { "content-type": "text/css; charset=utf-8" }));

  app.use("/api/v1/*", jsonBody());
  app.use("/api/v1/*", async (c, next) => {
    if (c.req.path === "/api/v1/openapi.json") return next();
    // Personal API tokens open the OpenAI-compatible endpoint, nothing else.
    const token = API_TOKEN.exec(c.req.header("authorization") ?? "")?.[1];
    if (token && !OPENAI_PATH.test(c.req.path))
      throw new AppError(
        "UNAUTHENTICATED",
        "API tokens work only for the OpenAI-compatible endpoint (/api/v1/instances/{id}/openai/v1/…).",
      );
    c.set("actor", token ? await core.apiTokens.authenticate(token) : await core.authenticate(c.req.raw.headers));
    return next();
  });
  registerV1Routes(app, core, { agents: deps.agents });

  app.all("/api/*", (c) => errorResponse(c, "NOT_FOUND", `Nothing is at ${c.req.method} ${c.req.path}.`));
  if (deps.webRoot && !mountWebApp(app, deps.webRoot)) {
    deps.log.warn({ webRoot: deps.webRoot }, "The web app is not built: serving the API only. Run `npm run build`.");
  }
  return app;
}
