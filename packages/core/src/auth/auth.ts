// Authentication is better-auth: e-mail + password, sessions in HttpOnly cookies, e-mail
// verification and password reset. A user's personal workspace is made at sign-up. Mail goes
// through the job queue so a slow SMTP server never slows a request.

import { PASSWORD_MAX, PASSWORD_MIN } from "@clawcloud/contracts";
import { type Db, schema } from "@clawcloud/db";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { organization } from "better-auth/plugins";
import { type IdKind, newId } from "../ids.ts";
import type { Logger } from "../logger.ts";
import type { Queue } from "../queue/queue.ts";
import { ensurePersonalWorkspace } from "../workspaces/ensure-personal-workspace.ts";

/** The header transport sets from the socket (overwriting any client value) for rate limits. */
export const CLIENT_IP_HEADER = "x-clawcloud-client-ip";

export interface AuthOptions {
  db: Db;
  queue: Queue;
  log: Logger;
  baseURL: string;
  secret: string;
  /** Multiplies every rate-limit allowance; tests that sign up many users raise it. */
  rateLimitScale: number;
}

const modelIdKinds: Record<string, IdKind> = {
  user: "user",
  session: "session",
  account: "account",
  verification: "verification",
  organization: "workspace",
  member: "member",
  invitation: "invitation",
  rateLimit: "rateLimit",
};

/**
 * Session cookies. Behind TLS (an https public URL) they are `__Host-` cookies: Secure, Path=/ and
 * no Domain, so neither a sibling subdomain nor a plain-http page can set or overwrite them.
 * better-auth's own secure mode would name them `__Secure-`, so its prefix is ours instead. Plain
 * http (local development) cannot carry Secure cookies: there they keep better-auth's names.
 */
export function cookieOptions(baseURL: string) {
  const https = baseURL.startsWith("https://");
  return {
    useSecureCookies: false,
    ...(https ? { cookiePrefix: "__Host-clawcloud" } : {}),
    defaultCookieAttributes: { secure: https, httpOnly: true, sameSite: "lax" as const, path: "/" },
  };
}

export function createAuth(o: AuthOptions) {
  const limit = (window: number, max: number) => ({ window, max: Math.max(1, Math.round(max * o.rateLimitScale)) });
  const mail = (to: string, subject: string, text: string, link: string) =>
    o.queue.enqueue(o.db, "email.send", { to, subject, text, link }).then(() => undefined);

  return betterAuth({
    baseURL: o.baseURL,
    basePath: "/api/auth",
    secret: o.secret,
    trustedOrigins: [new URL(o.baseURL).origin],
    telemetry: { enabled: false },
    // better-auth's own messages join our structured log; their extra arguments (which can hold
    // request data) do not.
    logger: {
      level: "warn",
      log: (level, message) =>
        level === "error" ? o.log.error({ component: "auth" }, message) : o.log.warn({ component: "auth" }, message),
    },
    database: drizzleAdapter(o.db, {
      provider: "pg",
      schema: {
        user: schema.users,
        session: schema.sessions,
        account: schema.accounts,
        verification: schema.verifications,
        organization: schema.workspaces,
        member: schema.members,
        invitation: schema.invitations,
        rateLimit: schema.rateLimits,
      },
    }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: PASSWORD_MIN,
      maxPasswordLength: PASSWORD_MAX,
      autoSignIn: true,
      requireEmailVerification: false,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 60 * 60,
      sendResetPassword: async ({ user, url }) =>
        mail(
          user.email,
          "Reset your Claw Cloud password",
          `Someone asked to reset your password. If it was you, open this link within an hour:\n\n${url}\n\nIf not, ignore this e-mail.`,
          url,
        ),
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      expiresIn: 24 * 60 * 60,
      sendVerificationEmail: async ({ user, url }) =>
        mail(
          user.email,
          "Verify your e-mail for Claw Cloud",
          `Welcome to Claw Cloud. Confirm your e-mail address to deploy to your cloud:\n\n${url}`,
          url,
        ),
    },
    session: {
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
      // A signed copy of the session in a second cookie spares a database read per request.
      // Revoking a session elsewhere takes effect within this minute; signing out is immediate.
      cookieCache: { enabled: true, maxAge: 60 },
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      ...limit(60, 100),
      customRules: {
        "/sign-in/email": limit(60, 10),
        "/sign-up/email": limit(60 * 60, 20),
        "/request-password-reset": limit(60 * 60, 5),
        "/send-verification-email": limit(60 * 60, 5),
        "/reset-password": limit(60 * 60, 10),
        "/change-password": limit(60 * 60, 10),
        "/get-session": false,
      },
    },
    advanced: {
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      ...cookieOptions(o.baseURL),
      database: { generateId: ({ model }) => newId(modelIdKinds[model] ?? "account") },
    },
    plugins: [organization({ allowUserToCreateOrganization: false })],
    databaseHooks: {
      user: {
        create: {
          after: async (user) => {
            await ensurePersonalWorkspace(o.db, user);
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
