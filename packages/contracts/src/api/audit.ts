import { z } from "zod";

// The audit log's action vocabulary. Every audited operation uses one of these; actions that
// other parts of issue 7 and later issues record (update, rollback, support access) are listed
// so their callers only add the recordAudit call.
export const auditActions = [
  "auth.sign_up",
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_out",
  "credential.create",
  "credential.use",
  "credential.delete",
  "instance.create",
  "instance.delete",
  "instance.retry",
  "instance.update",
  "instance.rollback",
  "support.grant",
  "support.revoke",
  "support.expire",
  "support.login",
  "support.tunnel",
  "vault.rotate",
] as const;

export type AuditAction = (typeof auditActions)[number];

export const auditEntrySchema = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    action: z.enum(auditActions),
    actor: z.object({ type: z.enum(["user", "system"]), id: z.string().nullable(), email: z.string().nullable() }),
    target: z.object({ type: z.string(), id: z.string() }).nullable(),
    metadata: z.record(z.string(), z.unknown()),
    ip: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "AuditEntry" });

export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditListSchema = z
  .object({
    items: z.array(auditEntrySchema),
    /** Pass as `cursor` for the next (older) page; null on the last page. */
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "AuditList" });

export type AuditList = z.infer<typeof auditListSchema>;

const optionalDate = z.iso.datetime({ offset: true }).optional();

export const auditQuerySchema = z
  .strictObject({
    action: z.enum(auditActions).optional(),
    /** A user id (usr_…) or "system". */
    actor: z
      .string()
      .regex(/^(system|usr_[0-9a-z]{26})$/, "must be a user id like usr_… or system")
      .optional(),
    from: optionalDate,
    to: optionalDate,
    cursor: z
      .string()
      .regex(/^\d{1,15}$/, "must be the nextCursor of a previous page")
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .meta({ id: "AuditQuery" });

export type AuditQuery = z.infer<typeof auditQuerySchema>;
