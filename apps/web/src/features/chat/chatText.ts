import type { ProviderErrorKind } from "@clawcloud/contracts";

/** A provider error on a turn, in words a person can act on. */
export function providerErrorText(kind: ProviderErrorKind | undefined, message: string | undefined): string {
  switch (kind) {
    case "rate_limit":
      return "The model provider is rate-limiting your key (or its credit ran out). Wait a minute and retry, or check your plan.";
    case "auth":
      return "The model provider refused your API key. Change the model and paste a working key.";
    case "context_length":
      return "This conversation is now too long for the model. Start a new chat to continue.";
    case "timeout":
      return "The model provider didn't answer in time. Retry in a moment.";
    case "refusal":
      return "The model declined to answer this message.";
    default:
      return message ? `The model provider returned an error: ${message}` : "The model provider returned an error. Retry in a moment.";
  }
}

/** A failed request (send, list, history), by the relay's error code. */
export function requestErrorText(code: string, message: string): string {
  switch (code) {
    case "AGENT_OFFLINE":
      return "Your assistant is offline right now. It is back when its agent reconnects.";
    case "GATEWAY_UNAVAILABLE":
      return "OpenClaw isn't answering on your instance yet. Retry in a moment.";
    case "MODEL_NOT_CONFIGURED":
      return "Set up a model before you chat.";
    case "CONNECTION_LOST":
      return "The connection was lost. Retry once it is back.";
    case "TOO_SLOW":
      return "Your instance took too long to answer. Retry in a moment.";
    default:
      return message;
  }
}

/** "2:14 PM" today, "Nov 3" before. */
export function sessionTime(ms: number | null, now = Date.now()): string {
  if (ms === null) return "";
  const d = new Date(ms);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay
    ? d.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" })
    : d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
}
