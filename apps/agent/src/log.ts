// One JSON line per event on stdout. Two layers keep secrets out: values registered with
// `addSecret` (the registration token, the credential, the gateway token) are replaced wherever
// they appear, and fields whose name looks secret are never written at all. Chat content is never
// passed to the logger in the first place.

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Registers a secret value: it is redacted from every later log line and event message. */
  addSecret(value: string | undefined): void;
  /** Replaces registered secrets in a string (for text that leaves the process some other way). */
  redact(text: string): string;
}

const REDACTED = "[redacted]";
const SECRET_KEY = /token|credential|secret|password|authorization|cookie|private|apikey|api_key/i;
const levels: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(opts: { write?: (line: string) => void; level?: LogLevel; now?: () => Date } = {}): Logger {
  const write = opts.write ?? ((line: string) => process.stdout.write(line));
  const min = levels[opts.level ?? "info"];
  const now = opts.now ?? (() => new Date());
  const secrets = new Set<string>();

  const redact = (text: string): string => {
    let out = text;
    for (const s of secrets) out = out.split(s).join(REDACTED);
    return out;
  };

  const clean = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return redact(value);
    if (value instanceof Error) return { name: value.name, message: redact(value.message) };
    if (Array.isArray(value)) return depth > 4 ? "[…]" : value.map((v) => clean(v, depth + 1));
    if (value && typeof value === "object") {
      if (depth > 4) return "[…]";
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : clean(v, depth + 1);
      return out;
    }
    return value;
  };

  const log = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (levels[level] < min) return;
    const body = fields ? (clean(fields, 0) as LogFields) : {};
    write(`${JSON.stringify({ time: now().toISOString(), level, msg: redact(msg), ...body })}\n`);
  };

  return {
    debug: (msg, fields) => log("debug", msg, fields),
    info: (msg, fields) => log("info", msg, fields),
    warn: (msg, fields) => log("warn", msg, fields),
    error: (msg, fields) => log("error", msg, fields),
    addSecret(value) {
      // Very short values would redact ordinary words; real secrets here are long.
      if (value && value.length >= 8) secrets.add(value);
    },
    redact,
  };
}
