// Setting the model: the browser seals `{"baseUrl"?, "apiKey", "model", "api"?}` to the agent's
// public key (libsodium crypto_box_seal, see chat/sealed-box.ts) and sends only the sealed box.
// The server relays it; the agent opens it, tests the model with one call and applies it.
import { z } from "zod";

/** What is inside the sealed box (validated by the agent, the only one who can read it). */
export const modelSecretSchema = z.strictObject({
  /** OpenAI-compatible or Anthropic base URL; absent → OpenAI's. */
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .optional(),
  apiKey: z.string().max(4096),
  model: z.string().min(1).max(200),
  /** OpenClaw's provider API kind; absent → openai-completions. */
  api: z.enum(["openai-completions", "openai-responses", "anthropic-messages", "ollama"]).optional(),
});
export type ModelSecret = z.infer<typeof modelSecretSchema>;

/** Presets the web app offers; `custom` takes any OpenAI-compatible base URL (e.g. Ollama). */
export const modelPresets = {
  anthropic: { label: "Anthropic", baseUrl: "https://api.anthropic.com", api: "anthropic-messages", model: "claude-sonnet-4-5" },
  openai: { label: "OpenAI", baseUrl: "https://api.openai.com/v1", api: "openai-completions", model: "gpt-5-mini" },
  openrouter: {
    label: "OpenRouter",
    baseUrl: "https://openrouter.ai/api/v1",
    api: "openai-completions",
    model: "anthropic/claude-sonnet-4.5",
  },
  custom: { label: "OpenAI-compatible (any URL, e.g. Ollama)", baseUrl: "", api: "openai-completions", model: "" },
} as const;

export const setModelSchema = z
  .strictObject({
    /** base64 of the sealed box (ephemeral key + ciphertext). */
    sealed: z
      .string()
      .min(64)
      .max(12_000)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64"),
  })
  .meta({ id: "SetModel" });

export const modelCheckSchema = z.object({
  ok: z.boolean(),
  /** Why the test call failed, in kinds a person can act on. */
  errorKind: z.enum(["auth", "model_not_found", "rate_limit", "unreachable", "provider_error"]).optional(),
  /** The provider's own message, cut short; never the key. */
  message: z.string().optional(),
  httpStatus: z.number().int().optional(),
});

export const setModelResultSchema = z
  .object({
    /** The key went into OpenClaw's config (only after the test call succeeded). */
    applied: z.boolean(),
    check: modelCheckSchema,
    model: z.object({ model: z.string(), api: z.string(), host: z.string().nullable(), setAt: z.iso.datetime() }).nullable(),
  })
  .meta({ id: "SetModelResult" });
export type SetModelResult = z.infer<typeof setModelResultSchema>;
