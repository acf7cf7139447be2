// OpenClaw's gateway frames → the chat protocol v1 (packages/contracts/src/chat/v1.ts): a small,
// stable shape for browsers, whatever OpenClaw adds to its own rows. Pure functions.
import type { ChatMessage, ChatModel, ChatServerMessage, ChatSession, ProviderErrorKind } from "@clawcloud/contracts";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The visible text of an OpenClaw message: a string, or the text parts of a content array. */
export function messageText(message: unknown): string {
  const content = obj(message).content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => {
      const p = obj(part);
      return p.type === "text" && typeof p.text === "string" ? p.text : "";
    })
    .join("");
}

const PREVIEW_CHARS = 120;

export function toSessions(payload: unknown): ChatSession[] {
  const rows = obj(payload).sessions;
  if (!Array.isArray(rows)) return [];
  return rows.flatMap((r): ChatSession[] => {
    const row = obj(r);
    const key = str(row.key);
    if (!key || !/^agent:[a-z0-9_-]{1,64}:[A-Za-z0-9:._-]{1,200}$/.test(key)) return [];
    const last = row.lastMessage;
    const previewText = str(row.lastMessagePreview) ?? (typeof last === "string" ? last : last ? messageText(last) : undefined);
    const preview = previewText ? previewText.replace(/\s+/g, " ").trim().slice(0, PREVIEW_CHARS) : null;
    const title = str(row.derivedTitle) ?? str(row.displayName) ?? str(row.label) ?? str(row.title) ?? preview?.slice(0, 60) ?? "New chat";
    return [
      {
        key,
        title: title.slice(0, 120),
        preview,
        updatedAt: num(row.lastInteractionAt) ?? num(row.updatedAt) ?? num(row.createdAt),
        running: row.hasActiveRun === true || row.status === "running",
      },
    ];
  });
}

export function toModel(payload: unknown): ChatModel | null {
  const d = obj(obj(payload).defaults);
  const provider = str(d.modelProvider);
  const model = str(d.model);
  return provider && model ? { provider, model } : null;
}

export function toHistory(payload: unknown): ChatMessage[] {
  const rows = obj(payload).messages;
  if (!Array.isArray(rows)) return [];
  return rows.flatMap((m, i): ChatMessage[] => {
    const row = obj(m);
    if (row.role !== "user" && row.role !== "assistant") return [];
    const meta = obj(row.__openclaw);
    const failed = row.stopReason === "error";
    return [
      {
        id: str(meta.id) ?? str(row.idempotencyKey) ?? `m${i}`,
        role: row.role,
        text: messageText(row),
        timestamp: num(row.timestamp),
        error: failed ? (str(row.errorMessage) ?? "The model provider returned an error.") : null,
      },
    ];
  });
}

const errorKinds: readonly ProviderErrorKind[] = ["refusal", "timeout", "rate_limit", "context_length", "auth", "unknown"];

/** One gateway `chat` event as a chat frame; undefined for what the browser does not need. */
export function toChatFrame(payload: unknown): ChatServerMessage | undefined {
  const p = obj(payload);
  const state = p.state;
  const sessionKey = str(p.sessionKey);
  const runId = str(p.runId);
  if (!sessionKey || !runId) return undefined;
  if (state === "status") return { type: "chat", sessionKey, runId, state, phase: str(p.phase) ?? "working" };
  if (state === "delta" || state === "final") return { type: "chat", sessionKey, runId, state, text: messageText(p.message) };
  if (state === "aborted") return { type: "chat", sessionKey, runId, state, text: messageText(p.message) };
  if (state === "error") {
    const kind = str(p.errorKind) as ProviderErrorKind | undefined;
    const status = num(obj(p.errorDetail).httpStatus);
    const errorKind = status === 401 || status === 403 ? "auth" : kind && errorKinds.includes(kind) ? kind : "unknown";
    return {
      type: "chat",
      sessionKey,
      runId,
      state,
      errorKind,
      errorMessage: (str(p.errorMessage) ?? "The model provider returned an error.").slice(0, 500),
    };
  }
  return undefined;
}
