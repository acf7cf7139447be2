// The progress view's live feed: Server-Sent Events carrying the instance whenever it changes,
// until it settles (ready, failed, deleted) or the browser goes away. Polling the row once a
// second per open view is cheap, and works the same on every replica and on PGlite.
import { AppError, type Core } from "@clawcloud/core";
import { createRoute } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { type Api, commonErrors, notFoundError } from "../../http/api.ts";
import { instanceIdParams } from "./id-param.ts";

const SETTLED = new Set(["ready", "failed"]);
const MAX_STREAM_MS = 30 * 60_000;

export const route = createRoute({
  method: "get",
  path: "/api/v1/instances/{id}/stream",
  tags: ["Instances"],
  summary: "Server-Sent Events: `instance` events with the whole instance each time it changes; `gone` when it was deleted.",
  request: { params: instanceIdParams },
  responses: {
    200: { description: "An event stream", content: { "text/event-stream": { schema: {} } } },
    ...notFoundError,
    ...commonErrors,
  },
});

export function register(app: Api, core: Core): void {
  app.openapi(route, async (c) => {
    const actor = c.get("actor");
    const id = c.req.valid("param").id;
    await core.instances.get(actor, id); // 404 before opening a stream
    return streamSSE(c, async (stream) => {
      let last = "";
      const started = Date.now();
      while (!stream.aborted && Date.now() - started < MAX_STREAM_MS) {
        let body: string;
        try {
          const instance = await core.instances.get(actor, id);
          body = JSON.stringify(instance);
          if (body !== last) {
            await stream.writeSSE({ event: "instance", data: body });
            last = body;
          }
          if (SETTLED.has(instance.state)) break;
        } catch (err) {
          if (err instanceof AppError && err.code === "NOT_FOUND") {
            await stream.writeSSE({ event: "gone", data: JSON.stringify({ id }) });
            break;
          }
          throw err;
        }
        await stream.sleep(1000);
      }
    }) as never;
  });
}
