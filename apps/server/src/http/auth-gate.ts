// /api/auth/* is served by better-auth. In front of it: only the operations the product uses are
// reachable, their bodies are validated strictly (unknown fields, wrong types → 400), the client
// address for rate limits comes from the socket, and every error leaves in the standard shape.
import { authBodySchemas, type ErrorCode } from "@clawcloud/contracts";
import { AppError, CLIENT_IP_HEADER, type Core, describeIssues } from "@clawcloud/core";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { AppEnv } from "./env.ts";
import { errorResponse } from "./errors.ts";
import { readJsonBody } from "./middleware/json-body.ts";

const GET_PATHS = [/^\/get-session$/, /^\/verify-email$/, /^\/reset-password\/[^/]+$/];
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

function clientIp(c: Context<AppEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // in-process requests (tests) have no socket
  }
}

export function authGate(core: Core, opts: { trustProxy: boolean }) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const sub = c.req.path.slice("/api/auth".length);
    const headers = new Headers(c.req.raw.headers);
    headers.set(CLIENT_IP_HEADER, clientIp(c, opts.trustProxy));
    let body: string | undefined;
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
      headers.set("content-type", "application/json");
      headers.delete("content-length");
    } else {
      throw new AppError("METHOD_NOT_ALLOWED", "Use GET or POST for auth operations.");
    }
    const res = await core.handleAuth(new Request(c.req.raw.url, { method: c.req.method, headers, body }));
    if (res.status < 400 && sub !== "/get-session") core.sessionChanged(c.req.raw.headers);
    return normalise(c, res);
  };
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
