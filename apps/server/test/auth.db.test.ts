import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, uniqueEmail, waitForLog } from "../../../test-support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; requestId: string } }).error;

describe("sign up, sign in, sign out", () => {
  it("creates the user with a personal workspace and a session cookie", async () => {
    const c = t.client();
    const email = uniqueEmail("ada");
    const res = await c.signUp(email, "correct horse battery", "Ada Lovelace");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty("token"); // the session token stays in the HttpOnly cookie
    const cookie = res.headers.getSetCookie().find((s) => s.startsWith("better-auth.session_token="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const me = await c.get("/api/v1/me");
    expect(me.status).toBe(200);
    const m = (await me.json()) as {
      user: { id: string; email: string; emailVerified: boolean };
      workspace: { id: string; role: string };
      workspaces: unknown[];
    };
    expect(m.user.id).toMatch(/^usr_[0-9a-z]{26}$/);
    expect(m.user.email).toBe(email);
    expect(m.user.emailVerified).toBe(false);
    expect(m.workspace.id).toMatch(/^wks_[0-9a-z]{26}$/);
    expect(m.workspace.role).toBe("owner");
    expect(m.workspaces).toHaveLength(1);

    expect((await c.post("/api/auth/sign-out")).status).toBe(200);
    expect((await c.get("/api/v1/me")).status).toBe(401);

    expect((await c.signIn(email)).status).toBe(200);
    const again = (await (await c.get("/api/v1/me")).json()) as typeof m;
    expect(again.workspace.id).toBe(m.workspace.id);
  });

  it("refuses a wrong password with INVALID_CREDENTIALS and no session", async () => {
    const c = t.client();
    const email = uniqueEmail();
    await c.signUp(email);
    const fresh = t.client();
    const res = await fresh.signIn(email, "not the password at all");
    expect(res.status).toBe(401);
    const err = await errorOf(res);
    expect(err.code).toBe("INVALID_CREDENTIALS");
    expect(err.message).toMatch(/do not match/);
    expect(err.requestId).toBe(res.headers.get("x-request-id"));
    expect(fresh.cookies.size).toBe(0);
  });

  it("refuses a duplicate e-mail with 409 EMAIL_TAKEN", async () => {
    const email = uniqueEmail();
    expect((await t.client().signUp(email)).status).toBe(200);
    const res = await t.client().signUp(email.toUpperCase());
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe("EMAIL_TAKEN");
  });

  it("applies the password rules", async () => {
    const res = await t.client().signUp(uniqueEmail(), "short");
    expect(res.status).toBe(400);
    const err = await errorOf(res);
    expect(err.code).toBe("WEAK_PASSWORD");
    expect(err.message).toBe("password: Use at least 10 characters");
  });
});

describe("e-mail verification and password reset", () => {
  it("sends a verification link that marks the e-mail verified", async () => {
    const c = t.client();
    const email = uniqueEmail("verify");
    await c.signUp(email);
    const line = await waitForLog(t.logs, new RegExp(`E-MAIL.*Verify your e-mail.*${email.replace(/[.+]/g, "\\$&")}`));
    const link = JSON.parse(line).mail.link as string;
    expect(link).toMatch(/^http:\/\/localhost:3000\/api\/auth\/verify-email\?token=/);
    const res = await c.get(new URL(link).pathname + new URL(link).search);
    expect([200, 302]).toContain(res.status);
    const me = (await (await c.get("/api/v1/me")).json()) as { user: { emailVerified: boolean } };
    expect(me.user.emailVerified).toBe(true);
  });

  it("resets a forgotten password through the e-mailed link", async () => {
    const email = uniqueEmail("reset");
    await t.client().signUp(email, "the old password 1");
    const c = t.client();
    expect((await c.post("/api/auth/request-password-reset", { email, redirectTo: "/reset-password" })).status).toBe(200);
    const line = await waitForLog(t.logs, new RegExp(`Reset your Claw Cloud password.*${email.replace(/[.+]/g, "\\$&")}`));
    const link = new URL(JSON.parse(line).mail.link as string);
    const redirect = await c.get(link.pathname + link.search);
    expect(redirect.status).toBe(302);
    const target = new URL(redirect.headers.get("location") ?? "", "http://localhost:3000");
    expect(target.pathname).toBe("/reset-password");
    const token = target.searchParams.get("token") ?? "";
    expect(token).not.toBe("");
    expect((await c.post("/api/auth/reset-password", { token, newPassword: "the new password 2" })).status).toBe(200);
    expect((await t.client().signIn(email, "the old password 1")).status).toBe(401);
    expect((await t.client().signIn(email, "the new password 2")).status).toBe(200);
    // A reset token is single use.
    const reuse = await c.post("/api/auth/reset-password", { token, newPassword: "a third password 3" });
    expect(reuse.status).toBe(400);
    expect((await errorOf(reuse)).code).toBe("INVALID_TOKEN");
  });

  it("never writes a password to the log", async () => {
    const password = `canary-password-${Date.now()}`;
    const email = uniqueEmail("canary");
    await t.client().signUp(email, password);
    await t.client().signIn(email, `${password}-wrong`);
    await t.client().signIn(email, password);
    expect(t.logs.join("\n")).not.toContain("canary-password-");
  });
});
