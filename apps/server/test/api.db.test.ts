import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseKind } from "../../../test-support/database.ts";
import { startTestApp, type TestApp, uniqueEmail } from "../../../test-support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

describe("system routes", () => {
  it("GET /api/health reports the version and the database kind", async () => {
    const res = await t.client().get("/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", version: expect.stringMatching(/^\d+\.\d+\.\d+/), database: testDatabaseKind });
  });

  it("describes the API in OpenAPI 3.1", async () => {
    const doc = (await (await t.client().get("/api/v1/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/health", "/api/v1/me", "/api/v1/instances", "/api/v1/credentials"]),
    );
    expect(doc.paths["/api/v1/me"]).toHaveProperty("patch");
  });

  it("serves a readable docs page with no inline script", async () => {
    const res = await t.client().get("/api/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Claw Cloud API");
    expect(html).toContain("/api/v1/instances");
    expect(html).not.toMatch(/<script/i);
  });
});

describe("workspaces", () => {
  it("gives every user their own workspace, and lists only its resources", async () => {
    const a = t.client();
    const b = t.client();
    await a.signUp(uniqueEmail("a"));
    await b.signUp(uniqueEmail("b"));
    const meA = (await (await a.get("/api/v1/me")).json()) as { workspace: { id: string } };
    const meB = (await (await b.get("/api/v1/me")).json()) as { workspace: { id: string } };
    expect(meA.workspace.id).not.toBe(meB.workspace.id);
    for (const path of ["/api/v1/instances", "/api/v1/credentials"]) {
      const res = await a.get(path);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ items: [] });
    }
  });

  it("updates the display name", async () => {
    const c = t.client();
    await c.signUp(uniqueEmail());
    const res = await c.patch("/api/v1/me", { name: "  Grace Hopper " });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { name: string } }).user.name).toBe("Grace Hopper");
    expect(((await (await c.get("/api/v1/me")).json()) as { user: { name: string } }).user.name).toBe("Grace Hopper");
  });
});
