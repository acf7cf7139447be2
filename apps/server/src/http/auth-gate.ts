// /api/auth/* is served by better-auth. In front of it: only the operations the product uses are
// reachable, their bodies are validated strictly (unknown fields, wrong types → 400), the client
// address for rate limits comes from the socket, and every error leaves in the standard shape.
import { authBodySchemas, type ErrorCode } from "@clawcloud/contracts";
import { AppError, CLIENT_IP_HEADER, type Core, describeIssues } from "@clawcloud/core";
import type { Context } from "hono";
import { clientIp } from "./client-ip.ts";
import type { AppEnv } from "./env.ts";
import { errorResponse } from "./errors.ts";
import { readJsonBody } from "./middleware/json-body.ts";

const GET_PATHS = [/^\/get-session$/, /^\/verify-email$/, /^\/reset-password\/[A-Za-z0-9_-]{1,512}$/];
const PASSWORD_FIELDS = new Set(["password", "newPassword"]);

/** better-auth's error codes → ours, with messages written for people. */
const translations: Record<string, { code: ErrorCode; message?: string }> = {
  USER_ALREADY_EXISTS: {
    code: "EMAIL_TAKEN",
    message: "An account with this e-mail already exists. Sign in instead, or reset your password.",
  },
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: {
    code: "EMAIL_TAKEN",
    message: "An account with this e-mail already exists. Sign in instead, or reset your password.",
  },
  INVALID_EMAIL_OR_PASSWORD: { code: "INVALID_CREDENTIALS", message: "That e-mail and password do not match an account." },
  INVALID_PASSWORD: { code: "INVALID_PASSWORD", message: "Your current password is not correct." },
  PASSWORD_TOO_SHORT: { code: "WEAK_PASSWORD" },
  PASSWORD_TOO_LONG: { code: "WEAK_PASSWORD" },
  INVALID_TOKEN: { code: "INVALID_TOKEN", message: "This link is invalid or has expired. Ask for a new one." },
  TOKEN_EXPIRED: { code: "INVALID_TOKEN", message: "This link has expired. Ask for a new one." },
  INVALID_ORIGIN: { code: "CSRF_REJECTED", message: "This request came from another site and was refused." },
  MISSING_OR_NULL_ORIGIN: { code: "CSRF_REJECTED", message: "This request came from another site and was refused." },
};

export function authGate(core: Core, opts: { trustProxy: boolean }) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const sub = c.req.path.slice("/api/auth".length);
    const headers = new Headers(c.req.raw.headers);
    const ip = clientIp(c, opts.trustProxy);
    headers.set(CLIENT_IP_HEADER, ip);
    let body: string | undefined;
    let email: string | undefined;
    if (c.req.method === "GET") {
      if (!GET_PATHS.some((p) => p.test(sub))) throw new AppError("NOT_FOUND", "No such auth operation.");
    } else if (c.req.method === "POST") {
      const schema = authBodySchemas[sub];
      if (!schema) throw new AppError("NOT_FOUND", "No such auth operation.");
      const parsed = schema.safeParse((await readJsonBody(c.req)) ?? {});
      if (!parsed.success) {
        const weak = parsed.error.issues.some(
          (i) => PASSWORD_FIELDS.has(String(i.path[0])) && (i.code === "too_small" || i.code === "too_big"),
        );
        throw new AppError(weak ? "WEAK_PASSWORD" : "VALIDATION_FAILED", describeIssues(parsed.error.issues));
      }
      body = JSON.stringify(parsed.data);
      if (sub === "/sign-in/email") {
        email = (parsed.data as { email: string }).email;
        await core.limits.signIn(email, ip);
      }
      headers.set("content-type", "application/json");
      headers.delete("content-length");
    } else {
      throw new AppError("METHOD_NOT_ALLOWED", "Use GET or POST for auth operations.");
    }
    // Who signs out is known only before the session ends.
    const signingOut = sub === "/sign-out" ? await core.authenticate(c.req.raw.headers).catch(() => undefined) : undefined;
    const res = await core.handleAuth(new Request(c.req.raw.url, { method: c.req.method, headers, body }));
    if (res.status < 400 && sub !== "/get-session") core.sessionChanged(c.req.raw.headers);
    await auditAuth(core, sub, res, { ip, email, userId: signingOut?.userId });
    return normalise(c, res);
  };
}

const AUDITED = {
  "/sign-up/email": "auth.sign_up",
  "/sign-in/email": "auth.sign_in",
  "/sign-out": "auth.sign_out",
} as const;

async function auditAuth(
  core: Core,
  sub: string,
  res: Response,
  o: { ip: string; email?: string | undefined; userId?: string | undefined },
) {
  const action = AUDITED[sub as keyof typeof AUDITED];
  if (!action || res.status === 429 || res.status >= 500) return;
  if (res.status >= 400) {
    if (action === "auth.sign_in") await core.audit.recordAuth({ action: "auth.sign_in_failed", email: o.email, ip: o.ip });
    return;
  }
  let userId = o.userId;
  if (!userId) {
    const payload = (await res
      .clone()
      .json()
      .catch(() => null)) as { user?: { id?: unknown } } | null;
    userId = typeof payload?.user?.id === "string" ? payload.user.id : undefined;
  }
  if (userId) await core.audit.recordAuth({ action, userId, ip: o.ip });
}

async function normalise(c: Context<AppEnv>, res: Response): Promise<Response> {
  const type = res.headers.get("content-type") ?? "";
  if (!type.includes("application/json")) return res; // redirects (verify-email, reset links)
  const payload = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (res.status < 400) {
    // The session token lives in an HttpOnly cookie; it never goes to page scripts.
    if (payload && typeof payload === "object" && "token" in payload) delete payload.token;
    const out = new Response(JSON.stringify(payload), { status: res.status, headers: res.headers });
    out.headers.delete("content-length");
    return out;
  }
  if (res.status === 429) {
    const retry = res.headers.get("x-retry-after") ?? "60";
    return errorResponse(c, "RATE_LIMITED", `Too many attempts. Try again in ${retry} seconds.`, { "retry-after": retry });
  }
  const upstream = typeof payload?.code === "string" ? payload.code : "";
  const t = translations[upstream];
  const message = t?.message ?? (typeof payload?.message === "string" ? payload.message : "The request was refused.");
  if (res.status >= 500) {
    c.get("log").error({ status: res.status, upstream }, "auth handler failed");
    return errorResponse(c, "INTERNAL", "Something went wrong on our side. It has been logged; please try again.");
  }
  const code: ErrorCode = t?.code ?? (res.status === 401 ? "UNAUTHENTICATED" : res.status === 403 ? "FORBIDDEN" : "VALIDATION_FAILED");
  return errorResponse(c, code, message);
}
