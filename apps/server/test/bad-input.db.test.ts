// Bad input gets a 4xx with a message a person can act on, in the standard error body — never a
// 500, never a stack trace.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, type TestClient, uniqueEmail } from "../../../test-support/test-app.ts";

let t: TestApp;
let c: TestClient;
beforeAll(async () => {
  t = await startTestApp();
  c = t.client();
  await c.signUp(uniqueEmail());
});
afterAll(() => t?.stop());

async function expectError(res: Response, status: number, code: string, message?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  const body = (await res.json()) as { error: Record<string, string> };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(Object.keys(body.error).sort()).toEqual(["code", "message", "requestId"]);
  expect(body.error.code).toBe(code);
  expect(body.error.requestId).toMatch(/^req_/);
  expect(body.error.message).not.toMatch(/at .*\.ts:\d+|Error:/);
  if (message) expect(body.error.message).toMatch(message);
}

describe("the API refuses bad input clearly", () => {
  it("malformed JSON", async () => {
    await expectError(await c.patch("/api/v1/me", '{"name": "Ada'), 400, "MALFORMED_JSON", /not valid JSON/);
    await expectError(await c.post("/api/auth/sign-in/email", "{"), 400, "MALFORMED_JSON");
  });

  it("wrong types", async () => {
    await expectError(await c.patch("/api/v1/me", { name: 42 }), 400, "VALIDATION_FAILED", /^name: .*expected string/);
    await expectError(await c.post("/api/auth/sign-in/email", { email: ["x"], password: "p" }), 400, "VALIDATION_FAILED", /email/);
  });

  it("unknown fields", async () => {
    await expectError(await c.patch("/api/v1/me", { name: "Ada", role: "admin" }), 400, "VALIDATION_FAILED", /unknown field "role"/);
    await expectError(
      await t
        .client()
        .post("/api/auth/sign-up/email", { name: "A", email: uniqueEmail(), password: "long enough pw", emailVerified: true }),
      400,
      "VALIDATION_FAILED",
      /unknown field "emailVerified"/,
    );
  });

  it("empty and over-long values", async () => {
    await expectError(await c.patch("/api/v1/me", { name: "   " }), 400, "VALIDATION_FAILED", /Enter a name/);
    await expectError(await c.patch("/api/v1/me", { name: "x".repeat(81) }), 400, "VALIDATION_FAILED", /at most 80/);
    await expectError(await c.patch("/api/v1/me", { name: "a\u0001b" }), 400, "VALIDATION_FAILED", /Control characters/);
    await expectError(await t.client().signUp("not-an-email"), 400, "VALIDATION_FAILED", /valid e-mail/);
  });

  it("a NUL character anywhere in a body, which PostgreSQL text cannot hold", async () => {
    await expectError(await c.post("/api/v1/api-tokens", { name: "\u0000" }), 400, "VALIDATION_FAILED", /NUL character/);
    await expectError(await c.patch("/api/v1/me", { name: "Ada", "x\u0000": 1 }), 400, "VALIDATION_FAILED", /NUL character/);
    await expectError(await c.post("/api/auth/sign-in/email", { email: "a@b.c", password: ["\u0000"] }), 400, "VALIDATION_FAILED", /NUL/);
    const list = await c.get("/api/v1/api-tokens");
    expect(list.status).toBe(200);
    expect(JSON.stringify(await list.json())).not.toContain("\\u0000");
  });

  it("oversized bodies", async () => {
    await expectError(await c.patch("/api/v1/me", { name: "x".repeat(70 * 1024) }), 413, "PAYLOAD_TOO_LARGE", /64 KB/);
  });

  it("a body that is not JSON", async () => {
    await expectError(
      await c.request("PATCH", "/api/v1/me", "name=x", { "content-type": "application/x-www-form-urlencoded" }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
  });

  it("no session", async () => {
    await expectError(await t.client().get("/api/v1/me"), 401, "UNAUTHENTICATED", /Sign in/);
    await expectError(
      await t.client().request("GET", "/api/v1/me", undefined, { cookie: "better-auth.session_token=forged.value" }),
      401,
      "UNAUTHENTICATED",
    );
  });

  it("unknown routes and auth operations", async () => {
    await expectError(await c.get("/api/v1/nope"), 404, "NOT_FOUND");
    await expectError(await c.post("/api/auth/organization/create", { name: "x", slug: "x" }), 404, "NOT_FOUND");
    await expectError(await c.post("/api/auth/delete-user", {}), 404, "NOT_FOUND");
  });

  it("a request from another site", async () => {
    await expectError(await c.patch("/api/v1/me", { name: "Mallory" }, { origin: "https://evil.example" }), 403, "CSRF_REJECTED");
    await expectError(
      await c.patch("/api/v1/me", { name: "Mallory" }, { origin: "http://localhost:3000", "sec-fetch-site": "cross-site" }),
      403,
      "CSRF_REJECTED",
    );
    await expectError(
      await t
        .client()
        .post(
          "/api/auth/sign-up/email",
          { name: "M", email: uniqueEmail(), password: "long enough pw" },
          { origin: "https://evil.example" },
        ),
      403,
      "CSRF_REJECTED",
    );
  });
});

describe("every response", () => {
  it("carries the security headers and a request id", async () => {
    const res = await c.get("/api/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

describe("rate limits on auth", () => {
  it("answers 429 with Retry-After after too many sign-in attempts", async () => {
    const limited = await startTestApp({ env: { CLAWCLOUD_RATE_LIMIT_SCALE: "1" } });
    try {
      const email = uniqueEmail();
      let last: Response | undefined;
      for (let i = 0; i < 12; i++) last = await limited.client().signIn(email, "wrong password!");
      if (!last) throw new Error("unreachable");
      expect(last.status).toBe(429);
      expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
      await expectError(last, 429, "RATE_LIMITED", /Try again in \d+ seconds/);
    } finally {
      await limited.stop();
    }
  });
});
