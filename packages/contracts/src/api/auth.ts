// Bodies of the auth routes (served by better-auth under /api/auth). They are checked here first,
// strictly, so unknown fields and wrong types get the standard 400 before better-auth sees them.
import { z } from "zod";
import { displayNameSchema } from "./me.ts";

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export const emailSchema = z.string().trim().max(254, "Use at most 254 characters").pipe(z.email("Enter a valid e-mail address"));
export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`);
const relativePath = z
  .string()
  .max(512)
  .regex(/^\/(?!\/)[^\s\\]*$/, "must be a path on this site, starting with /");

export const authBodySchemas: Record<string, z.ZodType> = {
  "/sign-up/email": z.strictObject({
    name: displayNameSchema,
    email: emailSchema,
    password: newPasswordSchema,
    callbackURL: relativePath.optional(),
    rememberMe: z.boolean().optional(),
  }),
  "/sign-in/email": z.strictObject({
    email: emailSchema,
    password: z.string().min(1, "Enter your password").max(PASSWORD_MAX),
    callbackURL: relativePath.optional(),
    rememberMe: z.boolean().optional(),
  }),
  "/sign-out": z.strictObject({}),
  "/request-password-reset": z.strictObject({ email: emailSchema, redirectTo: relativePath.optional() }),
  // Reset tokens are URL-safe ids: anything else (a NUL byte, say) is refused before the database sees it.
  "/reset-password": z.strictObject({
    newPassword: newPasswordSchema,
    token: z.string().regex(/^[A-Za-z0-9_-]{1,512}$/, "This reset link is not valid: ask for a new one."),
  }),
  "/send-verification-email": z.strictObject({ email: emailSchema, callbackURL: relativePath.optional() }),
  "/change-password": z.strictObject({
    currentPassword: z.string().min(1).max(PASSWORD_MAX),
    newPassword: newPasswordSchema,
    revokeOtherSessions: z.boolean().optional(),
  }),
};
