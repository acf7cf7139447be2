// Agent protocol v1: what the on-instance agent and the server say to each other. The agent
// registers once over HTTPS with its one-time token, then keeps one outbound WebSocket open and
// speaks these JSON frames on it. Every frame is validated on receipt, on both sides.
import { z } from "zod";

export const AGENT_PROTOCOL = "clawcloud-agent.v1";

export const registerRequestSchema = z.strictObject({
  instanceId: z.string().regex(/^ins_[0-9a-z]{26}$/),
  /** The one-time registration token from the user-data. */
  token: z.string().min(43).max(128),
  /** The agent's X25519 public key (base64, 32 bytes): model keys are sealed to it in the browser. */
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  agentVersion: z.string().max(64),
});
export type RegisterRequest = z.infer<typeof registerRequestSchema>;

export const registerResponseSchema = z.object({
  /** Bearer secret for the WebSocket; stored hashed on the server, rotatable and revocable. */
  credential: z.string(),
  heartbeatIntervalSec: z.number().int().positive(),
});
export type RegisterResponse = z.infer<typeof registerResponseSchema>;

/**
 * A bootstrap event the server's first-boot script posts itself, before the agent runs (a Node.js
 * download or checksum that fails): authenticated by the registration token, which it does not spend.
 */
export const bootstrapEventRequestSchema = z.strictObject({
  instanceId: registerRequestSchema.shape.instanceId,
  token: registerRequestSchema.shape.token,
  name: z.string().max(64),
  status: z.enum(["start", "ok", "failed"]),
  message: z.string().max(500).optional(),
});
export type BootstrapEventRequest = z.infer<typeof bootstrapEventRequestSchema>;

export const heartbeatSchema = z.strictObject({
  type: z.literal("heartbeat"),
  seq: z.number().int().nonnegative(),
  agentVersion: z.string().max(64),
  openclawVersion: z.string().max(64).nullable(),
  gateway: z.strictObject({ healthy: z.boolean(), ready: z.boolean(), startupVersion: z.string().max(64).nullable() }),
  cpu: z.strictObject({ load1: z.number().nonnegative(), cores: z.number().int().positive() }),
  memory: z.strictObject({ totalMb: z.number().nonnegative(), availableMb: z.number().nonnegative() }),
  disk: z.strictObject({ totalMb: z.number().nonnegative(), freeMb: z.number().nonnegative() }),
  uptimeSec: z.number().nonnegative(),
});
export type Heartbeat = z.infer<typeof heartbeatSchema>;

export const agentEventSchema = z.strictObject({
  type: z.literal("event"),
  /** Bootstrap or lifecycle progress, e.g. "openclaw-install ok". Never chat, never secrets. */
  name: z.string().max(64),
  status: z.enum(["start", "ok", "failed"]),
  message: z.string().max(500).optional(),
});

export const commandResultSchema = z.strictObject({
  type: z.literal("result"),
  id: z.string().max(64),
  ok: z.boolean(),
  data: z.unknown().optional(),
  error: z.strictObject({ code: z.string().max(64), message: z.string().max(1000) }).optional(),
});

export const agentFrameSchema = z.discriminatedUnion("type", [heartbeatSchema, agentEventSchema, commandResultSchema]);
export type AgentFrame = z.infer<typeof agentFrameSchema>;

export const serverFrameSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("welcome"), instanceId: z.string(), heartbeatIntervalSec: z.number().int().positive() }),
  z.strictObject({ type: z.literal("command"), id: z.string().max(64), name: z.string().max(64), args: z.record(z.string(), z.unknown()) }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
