import { describe, expect, it } from "vitest";
import { z } from "zod";
import { collectPages, createApiClient, type ProviderDialect, parseRetryAfter, secondsUntilEpoch } from "../src/http.ts";
import { ProviderError } from "../src/spec.ts";
import { expectProviderError } from "./conformance.ts";

const dialect: ProviderDialect = {
  provider: "digitalocean",
  displayName: "Testcloud",
  parseError: (b) => (b && typeof b === "object" && "message" in b ? { message: String(b.message) } : {}),
  advice: { unauthorized: "Make a new token." },
  retryAfter: (h, now) => parseRetryAfter(h.get("retry-after"), now),
};
const TOKEN = "tok_SECRET_12345";
const client = (fetch: typeof globalThis.fetch, timeoutMs = 1000) =>
  createApiClient({ dialect, baseUrl: "http://api.invalid/", token: TOKEN, fetch, timeoutMs });

describe("http", () => {
  it("sends bearer auth and JSON, and builds the query", async () => {
    let seen: { url: string; init: RequestInit | undefined } | undefined;
    const api = client(async (url, init) => {
      seen = { url: String(url), init };
      return Response.json({ ok: true });
    });
    await api.send({ method: "POST", path: "/x", query: { a: 1, b: undefined, c: ["p", "q"] }, body: { k: "v" }, action: "test" });
    expect(seen?.url).toBe("http://api.invalid/x?a=1&c=p&c=q");
    const headers = seen?.init?.headers as Record<string, string>;
    expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(headers["content-type"]).toBe("application/json");
    expect(seen?.init?.body).toBe('{"k":"v"}');
  });

  it("times out a request that does not answer, as a retryable error", async () => {
    const api = client(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        }),
      30,
    );
    const e = await expectProviderError(api.send({ method: "GET", path: "/slow", action: "list things" }), "unavailable");
    expect(e.retryable).toBe(true);
    expect(e.message).toBe(
      "Testcloud did not answer within 30 ms while we tried to list things; the request may or may not have taken effect, and retrying is safe.",
    );
  });

  it("names the network error code when the connection fails", async () => {
    const api = client(async () => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) });
    });
    const e = await expectProviderError(api.send({ method: "GET", path: "/", action: "read" }), "unavailable");
    expect(e.message).toMatch(/ECONNRESET/);
  });

  it.each([
    [401, "unauthorized", false],
    [403, "forbidden", false],
    [404, "not_found", false],
    [408, "unavailable", true],
    [409, "conflict", true],
    [422, "invalid", false],
    [400, "invalid", false],
    [429, "rate_limited", true],
    [500, "unavailable", true],
    [503, "unavailable", true],
  ] as const)("maps %i to %s (retryable %s)", async (status, kind, retryable) => {
    const api = client(async () => Response.json({ message: "the provider says no" }, { status }));
    const e = await expectProviderError(api.send({ method: "GET", path: "/", action: "read" }), kind);
    expect(e.retryable).toBe(retryable);
    expect(e.status).toBe(status);
    expect(e.message).not.toContain(TOKEN);
  });

  it("cleans the provider's message: no control characters, bounded length", async () => {
    const api = client(async () => Response.json({ message: `bad\u0000\n${"x".repeat(1000)}` }, { status: 422 }));
    const e = await expectProviderError(api.send({ method: "GET", path: "/", action: "read" }), "invalid");
    expect([...e.message].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    expect(e.message.length).toBeLessThan(420);
  });

  it("names fields, never values, when a response does not parse", async () => {
    const api = client(async () => Response.json({ server: { id: "not-a-number", root_password: "hunter2-SECRET" } }));
    const e = await expectProviderError(
      api.json({ method: "GET", path: "/", action: "read the server" }, z.object({ server: z.object({ id: z.number() }) })),
      "unknown",
    );
    expect(e.message).toMatch(/server\.id/);
    expect(e.message).not.toContain("hunter2");
    expect(e.message).not.toContain("not-a-number");
  });

  it("drops fields the schema does not name", async () => {
    const api = client(async () => Response.json({ id: 1, default_password: "pw" }));
    expect(await api.json({ method: "GET", path: "/", action: "read" }, z.object({ id: z.number() }))).toEqual({ id: 1 });
  });

  it("refuses to start without a token", () => {
    expect(() => createApiClient({ dialect, baseUrl: "http://x", token: "" })).toThrow(ProviderError);
  });

  it("parses Retry-After in seconds and as an HTTP date, and reset timestamps", () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(parseRetryAfter("17", now)).toBe(17);
    expect(parseRetryAfter("0", now)).toBe(1);
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now)).toBe(90);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(secondsUntilEpoch(String(now / 1000 + 42), now)).toBe(42);
    expect(secondsUntilEpoch(String(now / 1000 - 5), now)).toBe(1);
    expect(secondsUntilEpoch("x", now)).toBeUndefined();
  });

  it("follows pages to the end, and stops a provider that repeats a cursor", async () => {
    const all = await collectPages<number, number>("vultr", undefined, async (c) => ({
      items: [c ?? 0],
      next: (c ?? 0) < 3 ? (c ?? 0) + 1 : undefined,
    }));
    expect(all).toEqual([0, 1, 2, 3]);
    await expectProviderError(
      collectPages<number, string>("vultr", undefined, async () => ({ items: [1], next: "same" })),
      "unknown",
    );
  });
});
