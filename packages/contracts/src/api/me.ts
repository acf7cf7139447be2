import { z } from "zod";

export const workspaceRoleSchema = z.enum(["owner", "admin", "member"]);

export const workspaceSummarySchema = z
  .object({ id: z.string(), name: z.string(), slug: z.string(), role: workspaceRoleSchema })
  .meta({ id: "WorkspaceSummary" });
export type WorkspaceSummary = z.infer<typeof workspaceSummarySchema>;

export const meSchema = z
  .object({
    user: z.object({
      id: z.string(),
      name: z.string(),
      email: z.string(),
      emailVerified: z.boolean(),
      createdAt: z.iso.datetime(),
    }),
    workspace: workspaceSummarySchema,
    workspaces: z.array(workspaceSummarySchema),
  })
  .meta({ id: "Me" });
export type Me = z.infer<typeof meSchema>;

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name")
  .max(80, "Use at most 80 characters")
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "Control characters are not allowed");

export const updateMeSchema = z.strictObject({ name: displayNameSchema }).meta({ id: "UpdateMe" });
export type UpdateMe = z.infer<typeof updateMeSchema>;

export const workspaceListSchema = z.object({ items: z.array(workspaceSummarySchema) }).meta({ id: "WorkspaceList" });
