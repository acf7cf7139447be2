// The HTTP transport the AWS SDK clients use: the driver's injectable `fetch` (DriverOptions.fetch,
// the global fetch by default) with a hard per-request timeout. Using fetch rather than the SDK's
// own node:http handler keeps one seam for tests and proxies across every driver.

import type { EC2ClientConfig } from "@aws-sdk/client-ec2";

type RequestHandler = NonNullable<EC2ClientConfig["requestHandler"]>;

/** A request that never got an HTTP answer: timed out or failed on the network. */
export class AwsTransportError extends Error {
  readonly reason: "timeout" | "network";
  constructor(reason: "timeout" | "network", message: string, cause?: unknown) {
    super(message, { cause });
    this.name = "AwsTransportError";
    this.reason = reason;
  }
}

interface SmithyRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

function urlOf(req: SmithyRequest): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) {
    if (v === null) search.append(k, "");
    else if (Array.isArray(v)) for (const item of v) search.append(k, item);
    else search.append(k, v);
  }
  const qs = search.toString();
  return `${req.protocol}//${req.hostname}${req.port ? `:${req.port}` : ""}${req.path}${qs ? `?${qs}` : ""}`;
}

function networkCode(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return "network error";
}

export function fetchRequestHandler(fetchImpl: typeof fetch, timeoutMs: number): RequestHandler {
  const handler = {
    metadata: { handlerProtocol: "http/1.1" },
    async handle(request: SmithyRequest, options?: { abortSignal?: AbortSignal }) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = options?.abortSignal instanceof AbortSignal ? AbortSignal.any([timeout, options.abortSignal]) : timeout;
      const headers = new Headers();
      for (const [k, v] of Object.entries(request.headers)) {
        // fetch sets these itself, to the same values the request was signed with.
        if (k.toLowerCase() === "host" || k.toLowerCase() === "content-length") continue;
        headers.set(k, v);
      }
      // The SDK hands over a string or bytes; the cast spans Node's and the DOM's BodyInit types.
      const body = (
        typeof request.body === "string" || request.body instanceof Uint8Array ? request.body : undefined
      ) as RequestInit["body"];
      try {
        const res = await fetchImpl(urlOf(request), { method: request.method, headers, body, signal });
        const bytes = new Uint8Array(await res.arrayBuffer());
        const resHeaders: Record<string, string> = {};
        res.headers.forEach((value, key) => {
          resHeaders[key] = value;
        });
        return { response: { statusCode: res.status, reason: res.statusText, headers: resHeaders, body: bytes } };
      } catch (err) {
        if (timeout.aborted) {
          throw new AwsTransportError("timeout", `no answer within ${timeoutMs} ms`, err);
        }
        throw new AwsTransportError("network", `connection failed (${networkCode(err)})`, err);
      }
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {},
  };
  return handler as unknown as RequestHandler;
}
