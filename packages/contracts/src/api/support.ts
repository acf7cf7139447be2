// Support access: the instance's owner lets Claw Cloud's support reach the server over SSH for a
// bounded time (1–24 h). Only through the agent's outbound connection; the agent enforces expiry.
import { z } from "zod";

export const SUPPORT_MAX_HOURS = 24;

export const grantSupportAccessSchema = z
  .strictObject({
    hours: z
      .number()
      .int("Use a whole number of hours")
      .min(1, "Grant at least 1 hour")
      .max(SUPPORT_MAX_HOURS, `Grant at most ${SUPPORT_MAX_HOURS} hours`),
    reason: z.string().trim().min(1, "Say why support needs access").max(500, "Use at most 500 characters"),
  })
  .meta({ id: "GrantSupportAccess" });
export type GrantSupportAccess = z.infer<typeof grantSupportAccessSchema>;

export const supportGrantSchema = z
  .object({
    id: z.string(),
    instanceId: z.string(),
    hours: z.number().int(),
    reason: z.string(),
    grantedBy: z.string().nullable(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "SupportGrant" });
export type SupportGrant = z.infer<typeof supportGrantSchema>;

export const supportAccessSchema = z
  .object({
    /** True while a grant is neither expired nor revoked. */
    active: z.boolean(),
    /** The active grant, or the most recent one (for "ended at …"). */
    grant: supportGrantSchema.nullable(),
  })
  .meta({ id: "SupportAccess" });
export type SupportAccess = z.infer<typeof supportAccessSchema>;

export const supportTunnelTicketSchema = z
  .object({
    /** Single use; valid for `expiresInSec`. Pass it to the ssh ProxyCommand client. */
    ticket: z.string(),
    expiresInSec: z.number().int(),
    /** The WebSocket to open with `?ticket=`. */
    path: z.string(),
  })
  .meta({ id: "SupportTunnelTicket" });
export type SupportTunnelTicket = z.infer<typeof supportTunnelTicketSchema>;

/** The subprotocol of both tunnel WebSockets (staff side and agent side): raw SSH bytes, binary frames. */
export const SUPPORT_TUNNEL_PROTOCOL = "clawcloud-tunnel.v1";
export const SUPPORT_TUNNEL_PATH = "/api/v1/support/tunnel";
