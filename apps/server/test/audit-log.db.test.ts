// The audit log through the API: sign-up, sign-in (success and failure), sign-out, a cloud
// account added, verified, used to deploy and deleted, a deploy deleted — each leaves its row, in
// the workspace's log only, with filters, paging and a CSV export; and the chain verifies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DigitalOceanSimulator,
  DO_TOKENS,
  startDigitalOceanSimulator,
} from "../../../packages/providers/test/simulator/digitalocean.ts";
import { startTestApp, type TestApp, type TestClient, uniqueEmail, waitForLog } from "../../../test-support/test-app.ts";

let sim: DigitalOceanSimulator;
let t: TestApp;

beforeAll(async () => {
  sim = await startDigitalOceanSimulator({ rateLimits: false });
  t = await startTestApp({ env: { CLAWCLOUD_DIGITALOCEAN_API_URL: sim.url, CLAWCLOUD_AGENT_URL: "https://agents.clawcloud.test" } });
});
afterAll(async () => {
  await t?.stop();
  await sim?.stop();
});

interface Entry {
  action: string;
  actor: { type: string; id: string | null; email: string | null };
  target: { type: string; id: string } | null;
  metadata: Record<string, unknown>;
  ip: string | null;
}
const log = async (c: TestClient, query = "") => {
  const res = await c.get(`/api/v1/audit-log${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { items: Entry[]; nextCursor: string | null };
};

async function verifiedUser(email: string): Promise<TestClient> {
  const c = t.client();
  await c.signUp(email);
  const line = await waitForLog(t.logs, new RegExp(`Verify your e-mail.*${email.replace(/[.+]/g, "\\$&")}`));
  const link = new URL(JSON.parse(line).mail.link as string);
  await c.get(link.pathname + link.search);
  return c;
}

describe("the audit log over the API", () => {
  it("records what a person does, in their workspace only", async () => {
    const email = uniqueEmail("audited");
    const c = await verifiedUser(email);
    expect((await c.post("/api/auth/sign-out")).status).toBe(200);
    expect((await c.signIn(email, "wrong password!")).status).toBe(401);
    expect((await c.signIn(email)).status).toBe(200);

    const cred = (await (
      await c.post("/api/v1/credentials", { provider: "digitalocean", label: "DO", secret: DO_TOKENS.valid })
    ).json()) as {
      id: string;
    };
    expect((await c.post(`/api/v1/credentials/${cred.id}/verify`)).status).toBe(200);
    const deploy = await c.post("/api/v1/instances", {
      name: "audited",
      provider: "digitalocean",
      credentialId: cred.id,
      region: "nyc3",
      size: "s-2vcpu-4gb",
    });
    expect(deploy.status).toBe(201);
    const instance = (await deploy.json()) as { id: string };
    expect((await c.request("DELETE", `/api/v1/instances/${instance.id}`)).status).toBe(202);
    expect((await c.request("DELETE", `/api/v1/credentials/${cred.id}`)).status).toBe(204);

    const { items } = await log(c);
    const actions = items.map((e) => e.action).reverse();
    expect(actions).toEqual([
      "auth.sign_up",
      "auth.sign_out",
      "auth.sign_in_failed",
      "auth.sign_in",
      "credential.create",
      "credential.use",
      "instance.create",
      "credential.use",
      "instance.delete",
      "credential.delete",
    ]);
    const byAction = (a: string) => items.filter((e) => e.action === a);
    expect(
      byAction("credential.use")
        .map((e) => e.metadata.purpose)
        .sort(),
    ).toEqual(["deploy", "verify"]);
    expect(byAction("instance.create")[0]).toMatchObject({
      target: { type: "instance", id: instance.id },
      actor: { type: "user", email },
      metadata: { name: "audited", provider: "digitalocean", region: "nyc3", size: "s-2vcpu-4gb" },
    });
    expect(items.every((e) => e.ip)).toBe(true);
    expect(JSON.stringify(items)).not.toContain(DO_TOKENS.valid);
    expect(JSON.stringify(items)).not.toContain("wrong password!");

    // Filters and paging.
    expect((await log(c, "?action=credential.use")).items).toHaveLength(2);
    const page = await log(c, "?limit=4");
    expect(page.items).toHaveLength(4);
    const rest = await log(c, `?limit=50&cursor=${page.nextCursor}`);
    expect([...page.items, ...rest.items].map((e) => e.action)).toEqual(items.map((e) => e.action));
    expect((await c.get("/api/v1/audit-log?action=nope")).status).toBe(400);
    expect((await c.get("/api/v1/audit-log?from=yesterday")).status).toBe(400);

    // CSV.
    const csv = await c.get("/api/v1/audit-log.csv?action=credential.create");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/attachment; filename="clawcloud-audit-/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"credential.create"');

    // Another workspace sees none of it.
    const other = t.client();
    await other.signUp(uniqueEmail("other"));
    const theirs = await log(other);
    expect(theirs.items.map((e) => e.action)).toEqual(["auth.sign_up"]);
    expect((await other.get(`/api/v1/audit-log?actor=${items[0]?.actor.id}`)).status).toBe(200);
    expect((await log(other, `?actor=${items[0]?.actor.id}`)).items).toHaveLength(0);

    const verify = await t.server.core.audit.verify();
    expect(verify.broken).toBeUndefined();
  });

  it("records a failed sign-in to an unknown address without the address", async () => {
    const c = t.client();
    expect((await c.signIn("nobody-here@example.com", "some password")).status).toBe(401);
    // Only the API reads the log per workspace; an unknown account's attempt belongs to none.
    const report = await t.server.core.audit.verify();
    expect(report.broken).toBeUndefined();
    expect(t.logs.join("\n")).not.toContain("some password");
  });

  it("needs a session", async () => {
    expect((await t.client().get("/api/v1/audit-log")).status).toBe(401);
    expect((await t.client().get("/api/v1/audit-log.csv")).status).toBe(401);
  });
});
