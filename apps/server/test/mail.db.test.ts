// With SMTP_URL set, e-mail goes out through a real SMTP conversation (a test server on
// loopback), carries the one-time link, and is not printed to the log.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, uniqueEmail } from "../../../test-support/test-app.ts";

const received: { to: string[]; data: string }[] = [];
let smtp: SMTPServer;
let t: TestApp;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let data = "";
      stream.on("data", (chunk) => {
        data += chunk;
      });
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const { port } = smtp.server.address() as AddressInfo;
  t = await startTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: "Claw Cloud <hello@clawcloud.test>" } });
});
afterAll(async () => {
  await t?.stop();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

describe("e-mail over SMTP", () => {
  it("delivers the verification e-mail with its link, and keeps the link out of the log", async () => {
    const email = uniqueEmail("smtp");
    await t.client().signUp(email);
    const end = Date.now() + 15_000;
    while (!received.some((m) => m.to.includes(email))) {
      if (Date.now() > end) throw new Error("no e-mail arrived");
      await new Promise((r) => setTimeout(r, 50));
    }
    const message = received.find((m) => m.to.includes(email))?.data ?? "";
    expect(message).toMatch(/^From: Claw Cloud <hello@clawcloud\.test>/m);
    expect(message).toMatch(/^Subject: Verify your e-mail for Claw Cloud/m);
    const link = /http:\/\/localhost:3000\/api\/auth\/verify-email\?token=[^\s]+/.exec(message.replace(/=\r?\n/g, ""))?.[0];
    expect(link).toBeTruthy();
    const token = new URL((link ?? "").replace(/=3D/g, "=")).searchParams.get("token") ?? "";
    expect(token.length).toBeGreaterThan(20);
    expect(t.logs.join("\n")).not.toContain(token);
  });
});
