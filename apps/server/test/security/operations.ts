// The API's operations, read from its own OpenAPI document, plus the auth routes (better-auth,
// not in the document): the security tests walk these, so a new route is covered — or fails the
// coverage check — without anyone remembering to add it.
import { authBodySchemas } from "@clawcloud/contracts";
import { expect } from "vitest";
import type { TestClient } from "../../../../test-support/test-app.ts";

export interface Operation {
  method: string;
  /** OpenAPI form: /api/v1/instances/{id} */
  path: string;
  key: string;
  /** The operation's OpenAPI object (parameters, requestBody). */
  spec: OpenApiOperation;
}

export interface OpenApiOperation {
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  const?: unknown;
};

export const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Operations anyone may call without a session: the only ones. */
export const PUBLIC_OPERATIONS = new Set(["GET /api/health"]);

/** Operations outside the OpenAPI document that the app serves. */
export const AUTH_POST_PATHS = Object.keys(authBodySchemas).map((p) => `/api/auth${p}`);

export async function apiOperations(c: TestClient): Promise<{ ops: Operation[]; components: Record<string, JsonSchema> }> {
  const doc = (await (await c.get("/api/v1/openapi.json")).json()) as {
    paths: Record<string, Record<string, OpenApiOperation>>;
    components?: { schemas?: Record<string, JsonSchema> };
  };
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, spec] of Object.entries(item)) {
      const m = method.toUpperCase();
      ops.push({ method: m, path, key: `${m} ${path}`, spec });
    }
  }
  expect(ops.length).toBeGreaterThan(10);
  return { ops, components: doc.components?.schemas ?? {} };
}

/** Fills an OpenAPI path's {params}. */
export function fill(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? `missing-${name}`));
}

/** The standard error body, and nothing else. */
export async function expectStandardError(res: Response, context: string): Promise<{ code: string; message: string }> {
  expect(res.headers.get("content-type"), context).toMatch(/application\/json/);
  const body = (await res.json()) as { error?: Record<string, unknown> };
  expect(Object.keys(body), context).toEqual(["error"]);
  expect(Object.keys(body.error ?? {}).sort(), context).toEqual(["code", "message", "requestId"]);
  expect(typeof body.error?.message, context).toBe("string");
  return body.error as { code: string; message: string };
}
