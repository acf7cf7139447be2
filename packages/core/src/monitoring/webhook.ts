// Signed webhooks. The signature header is `ClawCloud-Signature: t=<unix seconds>,v1=<hex>`, where
// v1 = HMAC-SHA256(secret, "<t>.<raw body>") — the receiver recomputes it and rejects old `t`s
// (replays). Delivery is SSRF-safe: the address the socket actually connects to is checked in the
// DNS lookup itself (so a name cannot be re-pointed between check and connect), private and
// loopback ranges are refused unless the operator allows them, and production allows https only.
import { createHmac, randomBytes } from "node:crypto";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP } from "node:net";
import { AppError } from "../errors.ts";

export const SIGNATURE_HEADER = "ClawCloud-Signature";

export interface WebhookPolicy {
  /** http:// allowed too (not in production). */
  allowHttp: boolean;
  /** Loopback, private, link-local and other internal addresses allowed (self-hosted receivers). */
  allowPrivate: boolean;
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

export function signatureHeader(secret: string, body: string, unixSeconds = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${v1}`;
}

const internal = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  internal.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  internal.addSubnet(net, prefix, "ipv6");

export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return internal.check(address, "ipv4");
  if (family !== 6) return true;
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return mapped ? internal.check(mapped, "ipv4") : internal.check(address, "ipv6");
}

/** Checks a URL a user wants alerts sent to; throws VALIDATION_FAILED with what to fix. */
export function checkWebhookUrl(raw: string, policy: WebhookPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("VALIDATION_FAILED", "The webhook URL is not a valid address.");
  }
  if (url.protocol !== "https:" && !(policy.allowHttp && url.protocol === "http:"))
    throw new AppError("VALIDATION_FAILED", "The webhook URL must start with https://.");
  if (url.username || url.password)
    throw new AppError("VALIDATION_FAILED", "Put no user name or password in the webhook URL; verify the signature instead.");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!policy.allowPrivate && (isIP(host) ? isInternalAddress(host) : /^localhost$|\.localhost$|\.internal$/i.test(host)))
    throw new AppError("VALIDATION_FAILED", "The webhook URL points at a private or internal address; use a public one.");
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function safeLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "");
      const list = addresses as LookupAddress[];
      const refused = allowPrivate ? undefined : list.find((a) => isInternalAddress(a.address));
      if (refused) {
        const e: NodeJS.ErrnoException = new Error(`The webhook's host resolves to an internal address (${refused.address}).`);
        e.code = "EWEBHOOKPRIVATE";
        return callback(e, "");
      }
      if ((options as { all?: boolean }).all) return callback(null, list);
      const first = list[0];
      return first ? callback(null, first.address, first.family) : callback(new Error("no address"), "");
    });
  };
}

/** POSTs a signed JSON body; throws unless the receiver answers 2xx within 10 s. */
export async function postWebhook(rawUrl: string, secret: string, body: string, policy: WebhookPolicy): Promise<number> {
  const url = checkWebhookUrl(rawUrl, policy);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: "POST",
        lookup: safeLookup(policy.allowPrivate) as never,
        timeout: 10_000,
        headers: {
          "content-type": "application/json",
          "user-agent": "ClawCloud-Webhook/1",
          [SIGNATURE_HEADER]: signatureHeader(secret, body),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(status);
          else reject(new Error(`The webhook answered HTTP ${status}.`));
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("The webhook did not answer within 10 seconds.")));
    req.on("error", reject);
    req.end(body);
  });
}
