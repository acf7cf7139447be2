// OpenClaw's gateway rows and events → the chat protocol: only what the browser needs, in a
// stable shape, with OpenClaw's error kinds kept so the UI can explain them.
import { chatServerMessageSchema } from "@clawcloud/contracts";
import { describe, expect, it } from "vitest";
import { messageText, toChatFrame, toHistory, toModel, toSessions } from "../src/relay/chat-translate.ts";

describe("chat translation", () => {
  it("reads a message's text from a string or the text parts of a content array", () => {
    expect(messageText({ content: "plain" })).toBe("plain");
    expect(
      messageText({
        content: [
          { type: "text", text: "a" },
          { type: "image", url: "x" },
          { type: "text", text: "b" },
        ],
      }),
    ).toBe("ab");
    expect(messageText(undefined)).toBe("");
  });

  it("lists sessions with a title, a preview and activity, dropping rows that are not session keys", () => {
    const sessions = toSessions({
      sessions: [
        {
          key: "agent:main:web-1",
          derivedTitle: "Trip plans",
          lastMessage: { content: "  Sure,\n let's   plan " },
          lastInteractionAt: 5,
          hasActiveRun: true,
        },
        { key: "agent:main:web-2", updatedAt: 3 },
        { key: "not a key" },
      ],
    });
    expect(sessions).toEqual([
      { key: "agent:main:web-1", title: "Trip plans", preview: "Sure, let's plan", updatedAt: 5, running: true },
      { key: "agent:main:web-2", title: "New chat", preview: null, updatedAt: 3, running: false },
    ]);
  });

  it("keeps user and assistant turns of a history, with provider errors marked", () => {
    const messages = toHistory({
      messages: [
        { role: "user", content: "hi", timestamp: 1, __openclaw: { id: "m1" } },
        { role: "toolResult", content: "x" },
        { role: "assistant", content: [{ type: "text", text: "" }], stopReason: "error", errorMessage: "429 rate limited", timestamp: 2 },
      ],
    });
    expect(messages).toEqual([
      { id: "m1", role: "user", text: "hi", timestamp: 1, error: null },
      { id: "m2", role: "assistant", text: "", timestamp: 2, error: "429 rate limited" },
    ]);
  });

  it("turns chat events into chat frames, and provider errors into kinds", () => {
    const base = { runId: "r", sessionKey: "agent:main:main" };
    const frames = [
      toChatFrame({ ...base, state: "status", phase: "preparing_context" }),
      toChatFrame({ ...base, state: "delta", deltaText: "lo", message: { content: [{ type: "text", text: "Hello" }] } }),
      toChatFrame({ ...base, state: "final", message: { content: [{ type: "text", text: "Hello!" }] } }),
      toChatFrame({ ...base, state: "error", errorKind: "context_length", errorMessage: "too long" }),
      toChatFrame({ ...base, state: "error", errorKind: "unknown", errorDetail: { httpStatus: 401 } }),
    ];
    expect(frames.map((f) => f && f.type === "chat" && [f.state, f.text ?? f.phase ?? f.errorKind])).toEqual([
      ["status", "preparing_context"],
      ["delta", "Hello"],
      ["final", "Hello!"],
      ["error", "context_length"],
      ["error", "auth"],
    ]);
    for (const f of frames) expect(chatServerMessageSchema.safeParse(f).success).toBe(true);
    expect(toChatFrame({ state: "delta" })).toBeUndefined();
  });

  it("reads the model in use from the session defaults", () => {
    expect(toModel({ defaults: { modelProvider: "clawcloud", model: "gpt-x" } })).toEqual({ provider: "clawcloud", model: "gpt-x" });
    expect(toModel({ defaults: {} })).toBeNull();
  });
});
