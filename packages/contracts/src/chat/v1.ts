// Chat protocol v1: what the browser (or any client) says over the chat WebSocket
// `/api/v1/instances/{id}/chat` (subprotocol `clawcloud-chat.v1`). The server relays these frames
// to the instance's agent without reading them; the agent validates them, speaks OpenClaw's
// gateway protocol on loopback, and answers in this smaller, stable shape. Chat content lives
// only on the instance: nothing here is stored by the server.
import { z } from "zod";

export const CHAT_PROTOCOL = "clawcloud-chat.v1";

/** OpenClaw session keys: `agent:<agentId>:<name>`; `agent:main:main` is the main conversation. */
export const sessionKeySchema = z.string().regex(/^agent:[a-z0-9_-]{1,64}:[A-Za-z0-9:._-]{1,200}$/, "is not a session key");
const requestId = z.string().min(1).max(64);

/** The longest message a person can send in one turn (characters). */
export const MAX_CHAT_MESSAGE = 32_000;

export const chatRequestSchema = z.discriminatedUnion("op", [
  z.strictObject({ id: requestId, op: z.literal("sessions.list"), limit: z.number().int().min(1).max(200).optional() }),
  z.strictObject({
    id: requestId,
    op: z.literal("history"),
    sessionKey: sessionKeySchema,
    limit: z.number().int().min(1).max(500).optional(),
  }),
  z.strictObject({
    id: requestId,
    op: z.literal("send"),
    sessionKey: sessionKeySchema,
    text: z.string().min(1).max(MAX_CHAT_MESSAGE),
    /** Chosen by the client (a UUID): a resend with the same id is not a second turn. */
    runId: z.uuid(),
  }),
  z.strictObject({ id: requestId, op: z.literal("abort"), sessionKey: sessionKeySchema, runId: z.uuid().optional() }),
  z.strictObject({ id: requestId, op: z.literal("delete"), sessionKey: sessionKeySchema }),
]);
export type ChatRequest = z.infer<typeof chatRequestSchema>;

export const chatSessionSchema = z.object({
  key: sessionKeySchema,
  title: z.string(),
  /** The last message's first characters, when OpenClaw has one. */
  preview: z.string().nullable(),
  updatedAt: z.number().nullable(),
  running: z.boolean(),
});
export type ChatSession = z.infer<typeof chatSessionSchema>;

export const chatMessageSchema = z.object({
  id: z.string(),
  role: z.enum(["user", "assistant"]),
  text: z.string(),
  timestamp: z.number().nullable(),
  /** Set on an assistant turn that ended in a provider error. */
  error: z.string().nullable().optional(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const chatModelSchema = z.object({ provider: z.string(), model: z.string() });
export type ChatModel = z.infer<typeof chatModelSchema>;

/** What went wrong, in kinds a UI can explain. `provider_*` come from OpenClaw's errorKind. */
export const chatErrorCodeSchema = z.enum([
  "AGENT_OFFLINE",
  "GATEWAY_UNAVAILABLE",
  "MODEL_NOT_CONFIGURED",
  "INVALID_REQUEST",
  "TOO_SLOW",
  "GATEWAY_ERROR",
]);
export type ChatErrorCode = z.infer<typeof chatErrorCodeSchema>;

export const providerErrorKindSchema = z.enum(["refusal", "timeout", "rate_limit", "context_length", "auth", "unknown"]);
export type ProviderErrorKind = z.infer<typeof providerErrorKindSchema>;

export const chatServerMessageSchema = z.discriminatedUnion("type", [
  /** The answer to one request, by its id. `result` depends on the op (see the result schemas). */
  z.object({
    type: z.literal("reply"),
    id: z.string(),
    ok: z.boolean(),
    result: z.unknown().optional(),
    error: z.object({ code: chatErrorCodeSchema, message: z.string() }).optional(),
  }),
  /** A turn's progress: `status` (phase), `delta` (text so far), then one of final/aborted/error. */
  z.object({
    type: z.literal("chat"),
    sessionKey: z.string(),
    runId: z.string(),
    state: z.enum(["status", "delta", "final", "aborted", "error"]),
    /** The assistant's text so far (cumulative), on delta and final. */
    text: z.string().optional(),
    phase: z.string().optional(),
    errorKind: providerErrorKindSchema.optional(),
    errorMessage: z.string().optional(),
  }),
  /** The list of conversations changed (another tab or device): fetch it again. */
  z.object({ type: z.literal("sessions.changed") }),
  /**
   * Where things stand, sent on connect and on every change. `agent: offline` comes from the
   * server at once when the instance's agent has no connection; the rest from the agent.
   */
  z.object({
    type: z.literal("status"),
    agent: z.enum(["online", "offline"]),
    gateway: z.enum(["ready", "unavailable"]).optional(),
    model: chatModelSchema.nullable().optional(),
  }),
]);
export type ChatServerMessage = z.infer<typeof chatServerMessageSchema>;

export const sessionsListResultSchema = z.object({ sessions: z.array(chatSessionSchema) });
export const historyResultSchema = z.object({ sessionKey: z.string(), messages: z.array(chatMessageSchema) });
export const sendResultSchema = z.object({ runId: z.string() });
