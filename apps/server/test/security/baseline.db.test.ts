// The web security baseline, generated over every route the app serves: CSRF refused on every
// state-changing route, no route but the public ones without a session (no setup or admin page on
// a public port, ever), security headers on every response — API, errors and static files.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_URL, startTestApp, type TestApp, type TestClient, uniqueEmail } from "../../../../test-support/test-app.ts";
import {
  AUTH_POST_PATHS,
  apiOperations,
  expectStandardError,
  fill,
  type Operation,
  PUBLIC_OPERATIONS,
  STATE_CHANGING,
} from "./operations.ts";

let t: TestApp;
let c: TestClient;
let ops: Operation[];
const ids = { id: "ins_01jf3z0d6y8k2m4n5p7q9r1s3t" };

beforeAll(async () => {
  const webRoot = mkdtempSync(join(tmpdir(), "cc-web-"));
  mkdirSync(join(webRoot, "assets"));
  writeFileSync(join(webRoot, "index.html"), '<!doctype html><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(webRoot, "assets", "app.js"), "console.log(1)");
  writeFileSync(join(webRoot, "favicon.svg"), "<svg/>");
  t = await startTestApp({ webRoot });
  c = t.client();
  await c.signUp(uniqueEmail("baseline"));
  ({ ops } = await apiOperations(c));
});
afterAll(() => t?.stop());

const stateChanging = () => [
  ...ops.filter((o) => STATE_CHANGING.has(o.method)).map((o) => ({ method: o.method, path: fill(o.path, ids) })),
  ...AUTH_POST_PATHS.map((path) => ({ method: "POST", path })),
];

describe("CSRF", () => {
  it("refuses cross-site forms and foreign origins on every state-changing route", async () => {
    const routes = stateChanging();
    expect(routes.length).toBeGreaterThan(10);
    const attacks: { name: string; headers: Record<string, string>; body: string }[] = [
      {
        name: "text/plain form, foreign Origin",
        headers: { origin: "https://evil.example", "content-type": "text/plain" },
        body: '{"name":"x"}=',
      },
      {
        name: "urlencoded form, null Origin",
        headers: { origin: "null", "content-type": "application/x-www-form-urlencoded" },
        body: "name=x",
      },
      { name: "JSON, foreign Origin", headers: { origin: "https://evil.example", "content-type": "application/json" }, body: "{}" },
      { name: "lookalike Origin", headers: { origin: `${PUBLIC_URL}.evil.example`, "content-type": "application/json" }, body: "{}" },
      {
        name: "cross-site fetch metadata",
        headers: { origin: PUBLIC_URL, "sec-fetch-site": "cross-site", "content-type": "application/json" },
        body: "{}",
      },
    ];
    for (const r of routes) {
      for (const a of attacks) {
        const res = await c.request(r.method, r.path, a.body, a.headers);
        const context = `${r.method} ${r.path}: ${a.name}`;
        expect(res.status, context).toBe(403);
        expect((await expectStandardError(res, context)).code, context).toBe("CSRF_REJECTED");
      }
    }
    // Nothing happened: still signed in, the name unchanged.
    const me = await c.get("/api/v1/me");
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { name: string } }).user.name).toBe("Test User");
  });

  it("refuses a same-site form too: bodies must be JSON", async () => {
    const res = await c.request("PATCH", "/api/v1/me", "name=x", { "content-type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(415);
    await expectStandardError(res, "form body");
  });
});

describe("first-run rule: nothing but the public routes without a session", () => {
  it("every API operation needs a session", async () => {
    const anon = t.client();
    for (const op of ops) {
      const res = await anon.request(op.method, fill(op.path, ids), STATE_CHANGING.has(op.method) ? {} : undefined);
      if (PUBLIC_OPERATIONS.has(op.key)) {
        expect(res.status, op.key).toBe(200);
        continue;
      }
      expect(res.status, op.key).toBe(401);
      expect((await expectStandardError(res, op.key)).code).toBe("UNAUTHENTICATED");
    }
    const publicOps = ops.filter((o) => PUBLIC_OPERATIONS.has(o.key)).map((o) => o.key);
    expect(publicOps.sort()).toEqual([...PUBLIC_OPERATIONS].sort());
  });

  it("has no setup, install or admin page", async () => {
    const anon = t.client();
    for (const path of ["/api/admin", "/api/setup", "/api/install", "/api/auth/admin/list-users"]) {
      expect((await anon.get(path)).status, path).toBe(404);
    }
    // Under /api/v1 the session comes first: an unknown path is refused before it is looked up.
    for (const path of ["/api/v1/admin", "/api/v1/setup", "/api/v1/users"]) {
      expect((await anon.get(path)).status, path).toBe(401);
    }
    expect((await anon.get("/api/v1/openapi.json")).status).toBe(200); // the API's description: public by design
    // Page paths are the web app's shell, which asks the API (and so for a session) for everything.
    for (const path of ["/admin", "/setup", "/install"]) {
      const res = await anon.get(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toBe('<!doctype html><script type="module" src="/assets/app.js"></script>');
    }
  });
});

describe("security headers", () => {
  const strict = (res: Response, context: string) => {
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp, context).toContain("script-src 'self'");
    expect(csp, context).not.toContain("unsafe-inline");
    expect(csp, context).toContain("frame-ancestors 'none'");
    expect(csp, context).toContain("object-src 'none'");
    expect(res.headers.get("x-content-type-options"), context).toBe("nosniff");
    expect(res.headers.get("referrer-policy"), context).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("x-frame-options"), context).toBe("DENY");
    expect(res.headers.get("strict-transport-security"), context).toBeNull(); // plain http here
  };

  it("are on every response: API, errors, auth, static files, the app shell", async () => {
    const anon = t.client();
    const cases: [string, Promise<Response>][] = [
      ["health", anon.get("/api/health")],
      ["openapi", anon.get("/api/v1/openapi.json")],
      ["401", anon.get("/api/v1/me")],
      ["404 api", anon.get("/api/nothing")],
      ["400", c.patch("/api/v1/me", { name: 1 })],
      ["403 csrf", c.request("POST", "/api/v1/instances", "{}", { origin: "https://evil.example" })],
      ["auth", anon.get("/api/auth/get-session")],
      ["auth error", anon.post("/api/auth/sign-in/email", { email: "x@example.com", password: "nope" })],
      ["docs", anon.get("/api/docs")],
      ["asset", anon.get("/assets/app.js")],
      ["missing asset", anon.get("/assets/missing.js")],
      ["static file", anon.get("/favicon.svg")],
      ["app shell", anon.get("/instances")],
      ["agent bundle", anon.get("/api/agent/v1/clawcloud-agent.js")],
      ...ops.map((o): [string, Promise<Response>] => [
        o.key,
        c.request(o.method, fill(o.path, ids), STATE_CHANGING.has(o.method) ? {} : undefined),
      ]),
    ];
    for (const [name, pending] of cases) strict(await pending, name);
  });
});

describe("session cookies on plain http (local development)", () => {
  it("are HttpOnly and SameSite, without Secure (a browser would drop them)", async () => {
    const res = await t.client().signUp(uniqueEmail("cookie"));
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((s) => s.startsWith("better-auth.session_token="));
    expect(session).toBeDefined();
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=Lax/i);
    expect(session).toMatch(/; Path=\//i);
    expect(session).not.toMatch(/; Secure/i);
    expect(session).not.toMatch(/; Domain=/i);
  });
});
