// The public API's router: zod schemas from packages/contracts validate requests and describe the
// API in OpenAPI at the same time. A request that fails validation gets the standard 400.

import { errorBodySchema } from "@clawcloud/contracts";
import { AppError, describeIssues } from "@clawcloud/core";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./env.ts";

export type Api = OpenAPIHono<AppEnv>;

export function createApi(): Api {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new AppError("VALIDATION_FAILED", describeIssues(result.error.issues));
    },
  });
}

export const errorContent = { "application/json": { schema: errorBodySchema } };

/** The error responses every authenticated operation can give, for the OpenAPI document. */
export const commonErrors = {
  400: { description: "The request is invalid; the message says which field and why.", content: errorContent },
  401: { description: "Not signed in, or the session expired.", content: errorContent },
  429: { description: "Too many requests; retry after the Retry-After header's seconds.", content: errorContent },
} as const;

export const notFoundError = { 404: { description: "No such resource in your workspace.", content: errorContent } } as const;
