// E-mail goes out through SMTP when configured. In the embedded default there is no SMTP server,
// so the message's link is written to the log under a clear marker instead (never a password:
// the only mail we send carries one-time links).
import type { Logger } from "../logger.ts";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The one action link in the message, shown in the log when there is no SMTP server. */
  link?: string;
}

export interface Mailer {
  readonly kind: "smtp" | "log";
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export async function createMailer(opts: { smtpUrl?: string | undefined; from: string; log: Logger }): Promise<Mailer> {
  if (!opts.smtpUrl) {
    return {
      kind: "log",
      async send(m) {
        opts.log.info(
          { mail: { to: m.to, subject: m.subject, link: m.link } },
          `📧 E-MAIL (no SMTP configured): ${m.subject} → ${m.to}: ${m.link ?? ""}`,
        );
      },
      close() {},
    };
  }
  const { createTransport } = await import("nodemailer");
  const transport = createTransport(opts.smtpUrl);
  return {
    kind: "smtp",
    async send(m) {
      await transport.sendMail({ from: opts.from, to: m.to, subject: m.subject, text: m.text });
    },
    close: () => transport.close(),
  };
}
