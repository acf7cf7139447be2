// Webhook signing and the SSRF guard: the signature is HMAC-SHA256 over "<t>.<body>"; private,
// loopback and link-local targets are refused — by address and by what a name resolves to, at
// connect time — unless the operator allows them; production accepts https only.
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkWebhookUrl, isInternalAddress, postWebhook, signatureHeader } from "../src/monitoring/webhook.ts";

const production = { allowHttp: false, allowPrivate: false };
let hits = 0;
let lastBody = "";
let lastSignature = "";
const receiver = createServer((req, res) => {
  hits++;
  lastSignature = String(req.headers["clawcloud-signature"] ?? "");
  let body = "";
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () => {
    lastBody = body;
    res.writeHead(req.url === "/fail" ? 500 : 204).end();
  });
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

describe("webhook signatures", () => {
  it("signs t.body with HMAC-SHA256 in the documented header format", () => {
    const header = signatureHeader("whsec_test", '{"a":1}', 1_700_000_000);
    const expected = createHmac("sha256", "whsec_test").update('1700000000.{"a":1}').digest("hex");
    expect(header).toBe(`t=1700000000,v1=${expected}`);
  });
});

describe("the SSRF guard", () => {
  it("classifies addresses", () => {
    for (const a of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:10.0.0.1",
    ])
      expect(isInternalAddress(a), a).toBe(true);
    for (const a of ["93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8"]) expect(isInternalAddress(a), a).toBe(false);
  });

  it("refuses http, credentials, private literals and local names in production", () => {
    expect(() => checkWebhookUrl("http://example.com/hook", production)).toThrow(/https/);
    expect(() => checkWebhookUrl("ftp://example.com/hook", { allowHttp: true, allowPrivate: true })).toThrow(/https/);
    expect(() => checkWebhookUrl("https://u:p@example.com/hook", production)).toThrow(/user name or password/);
    for (const u of [
      "https://10.0.0.5/h",
      "https://[::1]/h",
      "https://169.254.169.254/latest",
      "https://localhost/h",
      "https://db.internal/h",
    ])
      expect(() => checkWebhookUrl(u, production), u).toThrow(/private or internal/);
    expect(checkWebhookUrl("https://hooks.example.com/x", production).hostname).toBe("hooks.example.com");
    expect(() => checkWebhookUrl("not a url", production)).toThrow(/not a valid/);
  });

  it("refuses at connect time a name that resolves to a private address, and sends nothing", async () => {
    const before = hits;
    await expect(postWebhook(`http://${hostname()}:${port}/hook`, "s", "{}", { allowHttp: true, allowPrivate: false })).rejects.toThrow(
      /internal address/,
    );
    expect(hits).toBe(before);
  });

  it("delivers a signed body when private addresses are allowed, and fails on a non-2xx answer", async () => {
    const body = JSON.stringify({ type: "instance.recovered" });
    expect(await postWebhook(`http://127.0.0.1:${port}/hook`, "whsec_x", body, { allowHttp: true, allowPrivate: true })).toBe(204);
    expect(lastBody).toBe(body);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(lastSignature) ?? [];
    expect(v1).toBe(createHmac("sha256", "whsec_x").update(`${t}.${body}`).digest("hex"));
    await expect(postWebhook(`http://127.0.0.1:${port}/fail`, "s", body, { allowHttp: true, allowPrivate: true })).rejects.toThrow(
      /HTTP 500/,
    );
  });
});
