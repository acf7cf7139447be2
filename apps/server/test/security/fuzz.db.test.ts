// Fuzzing every public route's input with fast-check, from the routes' own schemas (the OpenAPI
// document; the auth routes' zod schemas): bodies near and far from valid, path parameters,
// queries and headers. Whatever comes in: never a 500 (an unreachable cloud is a 502), an error always in the standard body, and
// no planted secret (a cloud token, a password, the session-signing secret, the master key) in
// any response or log line. Runs are bounded for CI time.
import { randomBytes } from "node:crypto";
import { authBodySchemas } from "@clawcloud/contracts";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type DigitalOceanSimulator,
  DO_TOKENS,
  startDigitalOceanSimulator,
} from "../../../../packages/providers/test/simulator/digitalocean.ts";
import { startTestApp, type TestApp, type TestClient, uniqueEmail } from "../../../../test-support/test-app.ts";
import { AUTH_POST_PATHS, apiOperations, type JsonSchema, type Operation, STATE_CHANGING } from "./operations.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const PASSWORD = `pw-CANARY-${randomBytes(6).toString("hex")}`;
const AUTH_SECRET = `auth-CANARY-${randomBytes(16).toString("hex")}`;
const MASTER_KEY = randomBytes(32).toString("base64");

let sim: DigitalOceanSimulator;
let t: TestApp;
let signedIn: TestClient;
let ops: Operation[];
let components: Record<string, JsonSchema>;
const secrets = [DO_TOKENS.valid, PASSWORD, AUTH_SECRET, MASTER_KEY];

beforeAll(async () => {
  sim = await startDigitalOceanSimulator({ rateLimits: false });
  t = await startTestApp({
    env: {
      CLAWCLOUD_DIGITALOCEAN_API_URL: sim.url,
      // The other clouds at a closed port: a valid-looking token never leaves this machine.
      CLAWCLOUD_HETZNER_API_URL: "http://127.0.0.1:9",
      CLAWCLOUD_VULTR_API_URL: "http://127.0.0.1:9",
      CLAWCLOUD_AWS_API_URL: "http://127.0.0.1:9",
      CLAWCLOUD_AUTH_SECRET: AUTH_SECRET,
      CLAWCLOUD_MASTER_KEYS: `1:${MASTER_KEY}`,
      LOG_LEVEL: "info",
    },
  });
  signedIn = t.client();
  expect((await signedIn.signUp(uniqueEmail("fuzz"), PASSWORD)).status).toBe(200);
  expect((await signedIn.post("/api/v1/credentials", { provider: "digitalocean", label: "planted", secret: DO_TOKENS.valid })).status).toBe(
    201,
  );
  ({ ops, components } = await apiOperations(signedIn));
});
afterAll(async () => {
  await t?.stop();
  await sim?.stop();
});

// A value for a JSON schema: mostly well-formed (to get past validation into the handlers), often
// subtly wrong (bounds, wrong types, unknown fields), sometimes anything at all.
function arbFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = schema?.$ref ? components[schema.$ref.split("/").pop() ?? ""] : schema;
  const anything = fc.jsonValue({ maxDepth: 2 });
  if (!s || depth > 4) return anything;
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return fc.oneof(...variants.map((v) => arbFor(v, depth + 1)), anything);
  if (s.const !== undefined) return fc.oneof(fc.constant(s.const), anything);
  if (s.enum) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...s.enum) }, { weight: 1, arbitrary: anything });
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  const typed: fc.Arbitrary<unknown> = (() => {
    switch (type) {
      case "object": {
        const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, arbFor(v, depth + 1)]));
        const base = fc.record(props, { requiredKeys: s.required?.filter((k) => k in props) ?? [] });
        return fc.oneof(
          { weight: 4, arbitrary: base },
          { weight: 1, arbitrary: fc.tuple(base, fc.string(), anything).map(([o, k, v]) => ({ ...(o as object), [k]: v })) },
        );
      }
      case "array":
        return fc.array(arbFor(s.items, depth + 1), { maxLength: 5 });
      case "string":
        return stringArb(s);
      case "integer":
      case "number":
        return fc.oneof(fc.integer(), fc.integer({ min: -1, max: 30 }), fc.double({ noNaN: true }), fc.constant(2 ** 53));
      case "boolean":
        return fc.boolean();
      default:
        return anything;
    }
  })();
  return fc.oneof({ weight: 5, arbitrary: typed }, { weight: 1, arbitrary: anything });
}

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  const prefix = s.pattern?.match(/^\^([a-z]{3})_/)?.[1];
  const options: fc.Arbitrary<string>[] = [
    fc.string({ maxLength: s.maxLength ?? 40 }),
    fc.string({ unit: "grapheme", maxLength: 20 }),
    fc.constantFrom(
      "",
      " ",
      "\u0000",
      "<script>alert(1)</script>",
      "' or 1=1 --",
      "../../etc/passwd",
      "%00",
      "=cmd|' /C calc'!A0",
      "x".repeat(5000),
    ),
    fc.emailAddress(),
    fc.constantFrom("2026-01-01T00:00:00Z", "nyc3", "s-2vcpu-4gb", "digitalocean", "local", "system"),
  ];
  if (prefix) options.push(fc.stringMatching(/^[0-9a-z]{26}$/).map((r) => `${prefix}_${r}`));
  return fc.oneof(...options);
}

const headerArb = fc.record(
  {
    "content-type": fc.oneof(
      { weight: 6, arbitrary: fc.constant("application/json") },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          "application/json; charset=utf-8",
          "text/plain",
          "application/x-www-form-urlencoded",
          "",
          "application/jsonx",
        ),
      },
    ),
    accept: fc.constantFrom("*/*", "text/csv", "text/html", "application/json"),
    "x-forwarded-for": fc.constantFrom("1.2.3.4", "not an ip", "::1, 10.0.0.1"),
    "accept-language": fc.string({ maxLength: 30 }),
  },
  { requiredKeys: [] },
);

/** A query value: what the parameter's schema allows, or any string. */
const queryValueArb = (schema: JsonSchema | undefined) =>
  fc.oneof(
    { weight: 3, arbitrary: arbFor(schema).map((v) => (typeof v === "string" ? v : JSON.stringify(v))) },
    { weight: 1, arbitrary: fc.constantFrom("2026-01-01T00:00:00Z", "1", "50", "system", "-1", "9".repeat(20)) },
  );

const bodyText = (body: unknown) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(JSON.stringify(body ?? null)) },
    { weight: 1, arbitrary: fc.constantFrom("{", "[]", "null", '"str"', '{"a":', "x".repeat(70 * 1024)) },
  );

async function check(res: Response, context: string) {
  const text = await res.text();
  // An unreachable cloud is the one 5xx allowed: the provider's fault, and said so (502/503).
  const upstream = (res.status === 502 || res.status === 503) && /"code":"(PROVIDER_UNAVAILABLE|UNAVAILABLE)"/.test(text);
  if (!upstream) expect(res.status, `${context} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
  for (const secret of secrets) expect(text, `${context} leaks a planted secret`).not.toContain(secret);
  if (res.status >= 400) {
    const body = JSON.parse(text) as { error?: Record<string, unknown> };
    expect(Object.keys(body), context).toEqual(["error"]);
    expect(Object.keys(body.error ?? {}).sort(), context).toEqual(["code", "message", "requestId"]);
  }
}

function inputArb(op: Operation) {
  const pathParams = (op.spec.parameters ?? []).filter((p) => p.in === "path");
  const queryParams = (op.spec.parameters ?? []).filter((p) => p.in === "query");
  const bodySchema = op.spec.requestBody?.content?.["application/json"]?.schema;
  return fc.record({
    params: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, stringArb(p.schema ?? {})]))),
    query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, fc.option(queryValueArb(p.schema), { freq: 2, nil: undefined })]))),
    body: STATE_CHANGING.has(op.method) ? arbFor(bodySchema).chain(bodyText) : fc.constant(undefined),
    headers: headerArb,
  });
}

describe("fuzzing every route's input", () => {
  it("the API operations, signed in", async () => {
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(inputArb(op), async (input) => {
          const path = op.path.replace(/\{(\w+)\}/g, (_, n: string) =>
            encodeURIComponent(String((input.params as Record<string, string>)[n] ?? "")),
          );
          const query = Object.entries(input.query as Record<string, string | undefined>).filter(
            (e): e is [string, string] => e[1] !== undefined,
          );
          const qs = new URLSearchParams(query).toString();
          const res = await signedIn.request(op.method, qs ? `${path}?${qs}` : path, input.body, input.headers as Record<string, string>);
          await check(res, `${op.key} ${JSON.stringify(input).slice(0, 300)}`);
        }),
        { numRuns: RUNS },
      );
    }
  });

  it("the auth operations, signed out", async () => {
    for (const path of AUTH_POST_PATHS) {
      const schema = z.toJSONSchema(authBodySchemas[path.slice("/api/auth".length)] as z.ZodType, {
        io: "input",
        unrepresentable: "any",
      }) as JsonSchema;
      await fc.assert(
        fc.asyncProperty(arbFor(schema).chain(bodyText), headerArb, async (body, headers) => {
          const res = await t.client().request("POST", path, body, headers as Record<string, string>);
          await check(res, `POST ${path} ${body.slice(0, 200)}`);
        }),
        { numRuns: RUNS },
      );
    }
  });

  it("left no planted secret in the log", () => {
    const log = t.logs.join("\n");
    for (const secret of secrets) expect(log).not.toContain(secret);
  });
});
