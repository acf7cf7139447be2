// Structured logs (pino). Secrets are redacted by path as a second line of defence: code must
// not log them in the first place (tests plant canaries and look for them).
import pino from "pino";

export const redactPaths = [
  "password",
  "*.password",
  "*.currentPassword",
  "*.newPassword",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "*.apiKey",
  "*.authorization",
  "*.cookie",
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
];

export function createLogger(opts: { level: string; pretty: boolean; destination?: pino.DestinationStream }) {
  const options: pino.LoggerOptions = {
    level: opts.level,
    base: { service: "clawcloud" },
    redact: { paths: redactPaths, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (opts.destination) return pino(options, opts.destination);
  if (opts.pretty) {
    return pino({ ...options, transport: { target: "pino-pretty", options: { colorize: true, ignore: "pid,hostname,service" } } });
  }
  return pino(options);
}

export type AppLogger = ReturnType<typeof createLogger>;
