// Behind TLS (an https public URL): `__Host-` session cookies (Secure, HttpOnly, SameSite, Path=/,
// no Domain) that the server reads back, and HSTS. On plain http, HSTS only when our own proxy
// (CLAWCLOUD_TRUST_PROXY) says the request came over TLS.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test-support/database.ts";
import { startTestApp, type TestApp, uniqueEmail } from "../../../../test-support/test-app.ts";

const HTTPS_URL = "https://clawcloud.example";
let tls: TestApp;

beforeAll(async () => {
  tls = await startTestApp({ env: { CLAWCLOUD_PUBLIC_URL: HTTPS_URL } });
});
afterAll(() => tls?.stop());

describe("behind TLS", () => {
  it("sets __Host- session cookies and reads them back", async () => {
    const c = tls.client();
    const res = await c.signUp(uniqueEmail("tls"), undefined, undefined);
    expect(res.status).toBe(403); // our Origin is http://localhost:3000: another site for this server
    const signUp = await c.post(
      "/api/auth/sign-up/email",
      { name: "T", email: uniqueEmail("tls"), password: "correct horse battery" },
      { origin: HTTPS_URL },
    );
    expect(signUp.status).toBe(200);
    const cookies = signUp.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/^__Host-clawcloud\./);
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      expect(cookie).toMatch(/; Path=\/(;|$)/i);
      expect(cookie).not.toMatch(/; Domain=/i);
    }
    expect(cookies.some((s) => s.startsWith("__Host-clawcloud.session_token="))).toBe(true);
    const me = await c.get("/api/v1/me", { origin: HTTPS_URL });
    expect(me.status).toBe(200);
    expect(me.headers.get("strict-transport-security")).toMatch(/max-age=\d{7,}/);
  });
});

describe("HSTS on plain http", () => {
  it("follows X-Forwarded-Proto only from a trusted proxy", async () => {
    const db = await createTestDatabase();
    const untrusted = await startTestApp({ db });
    try {
      const res = await untrusted.client().get("/api/health", { "x-forwarded-proto": "https" });
      expect(res.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await untrusted.server.stop();
    }
    const trusted = await startTestApp({ db, env: { CLAWCLOUD_TRUST_PROXY: "true" } });
    try {
      expect(
        (await trusted.client().get("/api/health", { "x-forwarded-proto": "https" })).headers.get("strict-transport-security"),
      ).toMatch(/max-age=/);
      expect(
        (await trusted.client().get("/api/health", { "x-forwarded-proto": "http" })).headers.get("strict-transport-security"),
      ).toBeNull();
    } finally {
      await trusted.server.stop();
      await db.drop();
    }
  });
});
