/**
 * The one fetch wrapper. Every call to the server goes through `api`.
 *
 * Errors from the server arrive as `{ error: { code, message, requestId } }`; `message` is written
 * for people, so the UI shows it as is. Anything else (network failure, a proxy's HTML page)
 * becomes an ApiError with a message of our own.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;

  constructor(status: number, code: string, message: string, requestId?: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface RequestOptions {
  method?: Method;
  body?: unknown;
  signal?: AbortSignal;
}

const FALLBACK_MESSAGES: Record<number, string> = {
  0: "Can't reach Claw Cloud. Check your connection and try again.",
  401: "Your session has ended. Please sign in again.",
  403: "You don't have permission to do that.",
  404: "We couldn't find what you were looking for.",
  429: "Too many attempts. Please wait a moment and try again.",
};

function fallbackMessage(status: number): string {
  return FALLBACK_MESSAGES[status] ?? "Something went wrong on our side. Please try again in a moment.";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function toApiError(status: number, body: unknown): ApiError {
  // Contract shape first; tolerate a bare `{ code, message }` as well.
  const envelope = isRecord(body) && isRecord(body.error) ? body.error : body;
  if (isRecord(envelope)) {
    const message = typeof envelope.message === "string" && envelope.message ? envelope.message : fallbackMessage(status);
    const code = typeof envelope.code === "string" && envelope.code ? envelope.code : `HTTP_${status}`;
    const requestId = typeof envelope.requestId === "string" ? envelope.requestId : undefined;
    return new ApiError(status, code, message, requestId);
  }
  return new ApiError(status, `HTTP_${status}`, fallbackMessage(status));
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  // CSRF defence: a header a cross-site form can't send.
  if (method !== "GET") headers["x-requested-with"] = "clawcloud";

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(0, "NETWORK_ERROR", fallbackMessage(0));
  }

  const body = await readJson(response);
  if (!response.ok) throw toApiError(response.status, body);
  return body as T;
}

api.get = <T>(path: string, signal?: AbortSignal) => api<T>(path, signal ? { signal } : {});
api.post = <T>(path: string, body: unknown = {}) => api<T>(path, { method: "POST", body });
api.patch = <T>(path: string, body: unknown) => api<T>(path, { method: "PATCH", body });

/** The message to show a person for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return fallbackMessage(500);
}

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}
