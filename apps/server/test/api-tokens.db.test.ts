// Personal API tokens through the API: shown once, stored as a hash, listed without the secret,
// revocable at once, only good for the OpenAI-compatible endpoint, and scoped to their owner.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpDatabase } from "../../../test-support/dump.ts";
import { startTestApp, type TestApp, type TestClient, uniqueEmail } from "../../../test-support/test-app.ts";

let t: TestApp;
let owner: TestClient;
let other: TestClient;
let stopped = false;

beforeAll(async () => {
  t = await startTestApp();
  owner = t.client();
  other = t.client();
  await owner.signUp(uniqueEmail("pat-owner"));
  await other.signUp(uniqueEmail("pat-other"));
});
afterAll(() => (stopped ? t.db.drop() : t?.stop()));

const bearer = (token: string, path: string, init: RequestInit = {}) =>
  fetch(t.url + path, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe("personal API tokens", () => {
  it("shows the token once, keeps only its hash, and lists it by name and prefix", async () => {
    const res = await owner.post("/api/v1/api-tokens", { name: "laptop", expiresInDays: 30 });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const created = (await res.json()) as { id: string; token: string; prefix: string; expiresAt: string };
    expect(created.token).toMatch(/^cc_pat_[A-Za-z0-9_-]{43}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    expect(new Date(created.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    const list = (await (await owner.get("/api/v1/api-tokens")).json()) as { items: Record<string, unknown>[] };
    expect(list.items).toEqual([expect.objectContaining({ id: created.id, name: "laptop", prefix: created.prefix, lastUsedAt: null })]);
    expect(JSON.stringify(list)).not.toContain(created.token);
    expect((await (await other.get("/api/v1/api-tokens")).json()) as { items: unknown[] }).toEqual({ items: [] });

    // Used on its endpoint: an instance that is not there is a 404 (the token itself was accepted).
    expect((await bearer(created.token, "/api/v1/instances/ins_00000000000000000000000000/openai/v1/models")).status).toBe(404);
    // Anywhere else: refused, saying where it works.
    const elsewhere = await bearer(created.token, "/api/v1/instances");
    expect(elsewhere.status).toBe(401);
    expect((await errorOf(elsewhere)).message).toMatch(/only for the OpenAI-compatible endpoint/);

    // Someone else cannot revoke it; its owner can, and then it is refused at once.
    expect((await other.request("DELETE", `/api/v1/api-tokens/${created.id}`)).status).toBe(404);
    expect((await owner.request("DELETE", `/api/v1/api-tokens/${created.id}`)).status).toBe(204);
    const revoked = await bearer(created.token, "/api/v1/instances/ins_00000000000000000000000000/openai/v1/models");
    expect(revoked.status).toBe(401);
    expect((await errorOf(revoked)).message).toMatch(/revoked or have expired/);
    expect((await owner.request("DELETE", `/api/v1/api-tokens/${created.id}`)).status).toBe(404);
  });

  it("refuses made-up tokens, bad names and bad expiries with reasons", async () => {
    expect((await bearer("cc_pat_made-up-token", "/api/v1/instances/ins_00000000000000000000000000/openai/v1/models")).status).toBe(401);
    const empty = await owner.post("/api/v1/api-tokens", { name: "  " });
    expect(empty.status).toBe(400);
    expect((await errorOf(empty)).message).toMatch(/Give the token a name/);
    expect((await owner.post("/api/v1/api-tokens", { name: "x", expiresInDays: 0 })).status).toBe(400);
    expect((await owner.post("/api/v1/api-tokens", { name: "x", scope: "admin" })).status).toBe(400);
    expect((await owner.request("DELETE", "/api/v1/api-tokens/not-an-id")).status).toBe(400);
  });

  it("never stores or logs a token in readable form", async () => {
    const { token } = (await (await owner.post("/api/v1/api-tokens", { name: "canary" })).json()) as { token: string };
    await bearer(token, "/api/v1/instances/ins_00000000000000000000000000/openai/v1/models");
    expect(t.logs.filter((l) => l.includes(token))).toEqual([]);
    await t.server.stop();
    stopped = true;
    const dump = await dumpDatabase(t.db);
    expect(dump).toContain("api_tokens");
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.slice(7));
  });
});
