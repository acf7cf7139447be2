// Requests that carry a body must carry JSON, and valid JSON: anything else is a clear 4xx before
// any handler runs. Hono caches the body text, so the route's validator reads the same bytes.

import { AppError } from "@clawcloud/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

const WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export async function readJsonBody(req: { header(name: string): string | undefined; text(): Promise<string> }): Promise<unknown> {
  const text = await req.text();
  if (text.length === 0) return undefined;
  const type = req.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the request body as JSON with the header Content-Type: application/json.");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("MALFORMED_JSON", "The request body is not valid JSON.");
  }
  // PostgreSQL text cannot hold a NUL character; refuse it here, for every route, rather than let
  // one reach the database and come back as a 500.
  if (holdsNul(body)) {
    throw new AppError("VALIDATION_FAILED", "The request body contains a NUL character (\\u0000), which no field accepts.");
  }
  return body;
}

function holdsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).some(([key, v]) => key.includes("\u0000") || holdsNul(v));
  }
  return false;
}

export function jsonBody(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (WITH_BODY.has(c.req.method)) {
      await readJsonBody(c.req);
    }
    await next();
  };
}
