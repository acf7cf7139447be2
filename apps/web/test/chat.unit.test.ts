// The chat's and the model dialog's rules, without a browser: the sealed box only the agent's key
// opens, session keys OpenClaw accepts, reconnect backoff, and errors in words a person can act on.
import { modelSecretSchema, sealOpen, sessionKeySchema } from "@clawcloud/contracts";
import { x25519 } from "@noble/curves/ed25519.js";
import { describe, expect, test } from "vitest";
import { backoffDelay, newSessionKey } from "../src/features/chat/chatSocket";
import { providerErrorText, requestErrorText } from "../src/features/chat/chatText";
import { checkMessage, presetFor, sealModelSecret } from "../src/features/chat/model";
import { apiSnippets } from "../src/features/settings/apiTokens";

describe("sealModelSecret", () => {
  test("seals the JSON secret so that only the agent's key pair opens it", () => {
    const sk = x25519.utils.randomSecretKey();
    const pk = x25519.getPublicKey(sk);
    const secret = { baseUrl: "http://127.0.0.1:9/v1", apiKey: "sk-canary-123", model: "stub-echo", api: "openai-completions" as const };
    const sealed = sealModelSecret(secret, Buffer.from(pk).toString("base64"));
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(sealed).not.toContain("sk-canary-123");
    const opened = JSON.parse(new TextDecoder().decode(sealOpen(Buffer.from(sealed, "base64"), pk, sk)));
    expect(modelSecretSchema.parse(opened)).toEqual(secret);
    // Another key pair can't open it.
    const other = x25519.utils.randomSecretKey();
    expect(() => sealOpen(Buffer.from(sealed, "base64"), x25519.getPublicKey(other), other)).toThrow();
  });
});

describe("presetFor", () => {
  const at = "2026-11-25T10:00:00.000Z";
  test("recognises a preset by host and API kind, anything else is custom", () => {
    expect(presetFor(null)).toBe("anthropic");
    expect(presetFor({ model: "claude-sonnet-4-5", api: "anthropic-messages", host: "api.anthropic.com", setAt: at })).toBe("anthropic");
    expect(presetFor({ model: "x", api: "openai-completions", host: "openrouter.ai", setAt: at })).toBe("openrouter");
    expect(presetFor({ model: "stub-echo", api: "openai-completions", host: "127.0.0.1:4000", setAt: at })).toBe("custom");
  });
});

describe("newSessionKey", () => {
  test("makes distinct keys OpenClaw's session-key rule accepts", () => {
    const keys = Array.from({ length: 50 }, newSessionKey);
    for (const k of keys) expect(sessionKeySchema.safeParse(k).success).toBe(true);
    expect(new Set(keys).size).toBe(50);
    expect(keys[0]).toMatch(/^agent:main:web-[a-z0-9]{10}$/);
  });
});

describe("backoffDelay", () => {
  test("grows with the attempt, with jitter, and stays under the cap", () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const base = Math.min(15_000, 500 * 2 ** attempt);
      const d = backoffDelay(attempt);
      expect(d).toBeGreaterThanOrEqual(base / 2);
      expect(d).toBeLessThanOrEqual(base);
    }
  });
});

describe("error words", () => {
  test("each provider error kind says what to do", () => {
    expect(providerErrorText("rate_limit", undefined)).toMatch(/rate-limiting/);
    expect(providerErrorText("auth", undefined)).toMatch(/Change the model/);
    expect(providerErrorText("context_length", undefined)).toMatch(/new chat/);
    expect(providerErrorText("unknown", "boom")).toMatch(/boom/);
    expect(requestErrorText("AGENT_OFFLINE", "x")).toMatch(/offline/);
    expect(requestErrorText("GATEWAY_ERROR", "The gateway said no")).toBe("The gateway said no");
  });
  test("the model test call's failure, with the provider's message", () => {
    expect(checkMessage({ ok: false, errorKind: "auth", message: "Incorrect API key provided." })).toMatch(
      /refused the API key.*Incorrect API key/,
    );
    expect(checkMessage({ ok: false, errorKind: "unreachable" })).toMatch(/couldn't reach the base URL/);
    expect(checkMessage({ ok: false, errorKind: "provider_error", httpStatus: 500 })).toMatch(/HTTP 500/);
  });
});

describe("apiSnippets", () => {
  test("use the instance's OpenAI-compatible base URL and the token", () => {
    const { curl, python } = apiSnippets("https://claw.example", "ins_1", "cc_pat_abc");
    expect(curl).toContain("https://claw.example/api/v1/instances/ins_1/openai/v1/chat/completions");
    expect(curl).toContain("Bearer cc_pat_abc");
    expect(python).toContain('base_url="https://claw.example/api/v1/instances/ins_1/openai/v1"');
  });
});
