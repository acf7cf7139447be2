import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { renderDocsPage } from "../src/http/docs-page.ts";
import { loggablePath } from "../src/http/middleware/request-context.ts";

describe("loggablePath", () => {
  it("cuts one-time tokens out of logged paths", () => {
    expect(loggablePath("/api/auth/reset-password/abc123SECRET")).toBe("/api/auth/reset-password/[redacted]");
    expect(loggablePath("/api/v1/me")).toBe("/api/v1/me");
  });
});

describe("the docs page", () => {
  it("escapes every string from the document", async () => {
    const app = new Hono();
    const evil = `<script>alert("x")</script>`;
    app.get("/", (c) =>
      renderDocsPage(c, {
        info: { title: evil, version: "1" },
        paths: { [`/x/${evil}`]: { get: { summary: evil, responses: { 200: { description: evil } } } } },
      }),
    );
    const html = await (await app.request("/")).text();
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });
});
