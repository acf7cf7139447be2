import type { ErrorCode } from "@clawcloud/contracts";

/**
 * A failure to report to the caller. The message is written for a person and must never hold a
 * secret or chat content; transport maps the code to an HTTP status (contracts/errors.ts).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, message: string, opts: { headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.headers = opts.headers;
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} was not found in this workspace.`);
