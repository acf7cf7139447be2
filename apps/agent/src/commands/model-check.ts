// One small test call to the model provider with the user's key, before the key goes into
// OpenClaw's config: it tells a wrong key, an unknown model or a rate limit apart, in the
// provider's own words (cut short, with the key removed should a provider echo it).
import type { ModelSecret } from "@clawcloud/contracts";

export interface ModelCheck {
  ok: boolean;
  errorKind?: "auth" | "model_not_found" | "rate_limit" | "unreachable" | "provider_error";
  message?: string;
  httpStatus?: number;
}

export const DEFAULT_BASE_URL = "https://api.openai.com/v1";
const TIMEOUT_MS = 30_000;

function request(secret: ModelSecret): { url: string; headers: Record<string, string>; body: unknown } {
  const base = (secret.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const ping = [{ role: "user", content: "Reply with OK." }];
  switch (secret.api ?? "openai-completions") {
    case "anthropic-messages":
      return {
        url: `${base.replace(/\/v1$/, "")}/v1/messages`,
        headers: { "x-api-key": secret.apiKey, "anthropic-version": "2023-06-01" },
        body: { model: secret.model, max_tokens: 16, messages: ping },
      };
    case "openai-responses":
      return {
        url: `${base}/responses`,
        headers: bearer(secret.apiKey),
        body: { model: secret.model, input: "Reply with OK.", max_output_tokens: 16 },
      };
    case "ollama":
      return {
        url: `${base.replace(/\/v1$/, "")}/api/chat`,
        headers: bearer(secret.apiKey),
        body: { model: secret.model, messages: ping, stream: false },
      };
    default:
      return {
        url: `${base}/chat/completions`,
        headers: bearer(secret.apiKey),
        body: { model: secret.model, messages: ping, max_completion_tokens: 16 },
      };
  }
}

const bearer = (key: string): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});

export async function checkModel(secret: ModelSecret, signal?: AbortSignal): Promise<ModelCheck> {
  const { url, headers, body } = request(secret);
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body: JSON.stringify(body),
      redirect: "error",
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    return { ok: false, errorKind: "unreachable", message: `The provider at ${new URL(url).origin} could not be reached (${code}).` };
  }
  const text = await res.text().catch(() => "");
  if (res.ok) return { ok: true, httpStatus: res.status };
  const message = providerMessage(text, secret.apiKey) ?? `The provider answered HTTP ${res.status}.`;
  const lower = message.toLowerCase();
  const errorKind: ModelCheck["errorKind"] =
    res.status === 401 || res.status === 403
      ? "auth"
      : res.status === 429
        ? "rate_limit"
        : res.status === 404 || (res.status === 400 && /model/.test(lower) && /(not.?found|does not exist|unknown|invalid)/.test(lower))
          ? "model_not_found"
          : "provider_error";
  return { ok: false, errorKind, message, httpStatus: res.status };
}

/** The provider's error message from its JSON body, bounded and without the key. */
function providerMessage(text: string, apiKey: string): string | undefined {
  let message: unknown;
  try {
    const json = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    message = typeof json.error === "string" ? json.error : (json.error?.message ?? json.message);
  } catch {
    return undefined;
  }
  if (typeof message !== "string" || !message) return undefined;
  const clean = apiKey.length >= 8 ? message.split(apiKey).join("[your key]") : message;
  return clean.slice(0, 300);
}
