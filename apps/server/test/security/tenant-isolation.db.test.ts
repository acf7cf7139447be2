// Tenant isolation, generated from the OpenAPI document: a second workspace's session walks every
// operation against the first workspace's resources. What names another workspace's resource is
// 404 (never 403: its existence is not confirmed); what lists or creates shows none of it; and
// afterwards the first workspace's resources are exactly as they were. An operation added to the
// API without a case here fails the coverage check.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DigitalOceanSimulator,
  DO_TOKENS,
  startDigitalOceanSimulator,
} from "../../../../packages/providers/test/simulator/digitalocean.ts";
import { startTestApp, type TestApp, type TestClient, uniqueEmail, waitForLog } from "../../../../test-support/test-app.ts";
import { apiOperations, expectStandardError, fill, type Operation, PUBLIC_OPERATIONS, STATE_CHANGING } from "./operations.ts";

interface Victim {
  email: string;
  credentialId: string;
  instanceId: string;
  apiTokenId: string;
  label: string;
}

/** How the intruder exercises an operation with the victim's resources. */
type Case =
  | { foreign: (v: Victim) => { params?: Record<string, string>; body?: unknown; query?: string } }
  | { own: (v: Victim) => { body?: unknown; query?: string } };

const CASES: Record<string, Case> = {
  "GET /api/v1/me": { own: () => ({}) },
  "PATCH /api/v1/me": { own: () => ({ body: { name: "Intruder" } }) },
  "GET /api/v1/instances": { own: () => ({}) },
  "POST /api/v1/instances": {
    foreign: (v) => ({
      body: { name: "stolen", provider: "digitalocean", credentialId: v.credentialId, region: "nyc3", size: "s-2vcpu-4gb" },
    }),
  },
  "GET /api/v1/instances/{id}": { foreign: (v) => ({ params: { id: v.instanceId } }) },
  "DELETE /api/v1/instances/{id}": { foreign: (v) => ({ params: { id: v.instanceId } }) },
  "POST /api/v1/instances/{id}/retry": { foreign: (v) => ({ params: { id: v.instanceId } }) },
  "GET /api/v1/instances/{id}/stream": { foreign: (v) => ({ params: { id: v.instanceId } }) },
  "GET /api/v1/providers": { own: () => ({}) },
  "GET /api/v1/credentials": { own: () => ({}) },
  "GET /api/v1/credentials/aws-setup": { own: () => ({}) },
  // The same token in another workspace is that workspace's own account: never the victim's row.
  "POST /api/v1/credentials": { own: () => ({ body: { provider: "digitalocean", label: "mine", secret: DO_TOKENS.valid } }) },
  "DELETE /api/v1/credentials/{id}": { foreign: (v) => ({ params: { id: v.credentialId } }) },
  "POST /api/v1/credentials/{id}/verify": { foreign: (v) => ({ params: { id: v.credentialId } }) },
  "GET /api/v1/credentials/{id}/regions": { foreign: (v) => ({ params: { id: v.credentialId } }) },
  "GET /api/v1/credentials/{id}/sizes": { foreign: (v) => ({ params: { id: v.credentialId } }) },
  "PUT /api/v1/instances/{id}/model": { foreign: (v) => ({ params: { id: v.instanceId }, body: { sealed: "A".repeat(88) } }) },
  "POST /api/v1/instances/{id}/openai/v1/chat/completions": {
    foreign: (v) => ({ params: { id: v.instanceId }, body: { messages: [{ role: "user", content: "hi" }] } }),
  },
  "GET /api/v1/instances/{id}/openai/v1/models": { foreign: (v) => ({ params: { id: v.instanceId } }) },
  "GET /api/v1/api-tokens": { own: () => ({}) },
  "POST /api/v1/api-tokens": { own: () => ({ body: { name: "mine" } }) },
  "DELETE /api/v1/api-tokens/{id}": { foreign: (v) => ({ params: { id: v.apiTokenId } }) },
  "GET /api/v1/me/alerts": { own: () => ({}) },
  "PATCH /api/v1/me/alerts": { own: () => ({ body: { emailEnabled: false } }) },
  "GET /api/v1/instances/{id}/metrics": { foreign: (v) => ({ params: { id: v.instanceId }, query: "?range=1h" }) },
  "GET /api/v1/instances/{id}/support-access": { foreign: (v) => ({ params: { id: v.instanceId } }) },
  "POST /api/v1/instances/{id}/support-access": {
    foreign: (v) => ({ params: { id: v.instanceId }, body: { hours: 1, reason: "let me in" } }),
  },
  "DELETE /api/v1/instances/{id}/support-access": { foreign: (v) => ({ params: { id: v.instanceId } }) },
  // Staff only: to anyone else (the intruder) it is not there at all.
  "POST /api/v1/support/instances/{id}/tunnel": { foreign: (v) => ({ params: { id: v.instanceId } }) },
  "POST /api/v1/instances/{id}/update": { foreign: (v) => ({ params: { id: v.instanceId }, body: {} }) },
  "POST /api/v1/instances/{id}/rollback": { foreign: (v) => ({ params: { id: v.instanceId } }) },
  "PUT /api/v1/instances/{id}/pin": { foreign: (v) => ({ params: { id: v.instanceId }, body: { version: "2026.9.5" } }) },
  "GET /api/v1/openclaw/versions": { own: () => ({}) },
  "GET /api/v1/openclaw/releases/{version}": { own: () => ({}) },
  "GET /api/v1/admin/rollouts": { own: () => ({}) },
  "POST /api/v1/admin/rollouts": { own: () => ({ body: { targetVersion: "2026.9.6" } }) },
  "GET /api/v1/admin/rollouts/{id}": { foreign: () => ({ params: { id: "rol_00000000000000000000000000" } }) },
  "POST /api/v1/admin/rollouts/{id}/pause": { foreign: () => ({ params: { id: "rol_00000000000000000000000000" } }) },
  "POST /api/v1/admin/rollouts/{id}/resume": { foreign: () => ({ params: { id: "rol_00000000000000000000000000" } }) },
  "GET /api/v1/audit-log": { own: () => ({ query: "?limit=200" }) },
  "GET /api/v1/audit-log.csv": { own: () => ({}) },
};

let sim: DigitalOceanSimulator;
let t: TestApp;
let ops: Operation[];

beforeAll(async () => {
  sim = await startDigitalOceanSimulator({ rateLimits: false });
  t = await startTestApp({ env: { CLAWCLOUD_DIGITALOCEAN_API_URL: sim.url, CLAWCLOUD_AGENT_URL: "https://agents.clawcloud.test" } });
  ({ ops } = await apiOperations(t.client()));
});
afterAll(async () => {
  await t?.stop();
  await sim?.stop();
});

async function verifiedUser(email: string): Promise<TestClient> {
  const c = t.client();
  await c.signUp(email);
  const line = await waitForLog(t.logs, new RegExp(`Verify your e-mail.*${email.replace(/[.+]/g, "\\$&")}`));
  const link = new URL(JSON.parse(line).mail.link as string);
  await c.get(link.pathname + link.search);
  return c;
}

const json = async (res: Response) => (await res.json()) as Record<string, unknown>;

describe("tenant isolation", () => {
  it("covers every operation in the OpenAPI document, and nothing stale", () => {
    const keys = ops.map((o) => o.key).filter((k) => !PUBLIC_OPERATIONS.has(k));
    expect(
      keys.filter((k) => !(k in CASES)),
      "operations without a tenant-isolation case",
    ).toEqual([]);
    expect(
      Object.keys(CASES).filter((k) => !keys.includes(k)),
      "cases for operations that no longer exist",
    ).toEqual([]);
  });

  it("a second workspace can neither read nor change the first one's resources", async () => {
    const email = uniqueEmail("victim");
    const victim = await verifiedUser(email);
    const label = `Victim DO ${Date.now()}`;
    const cred = await json(await victim.post("/api/v1/credentials", { provider: "digitalocean", label, secret: DO_TOKENS.valid }));
    const inst = await json(
      await victim.post("/api/v1/instances", {
        name: "victim-bot",
        provider: "digitalocean",
        credentialId: cred.id,
        region: "nyc3",
        size: "s-2vcpu-4gb",
      }),
    );
    const token = await json(await victim.post("/api/v1/api-tokens", { name: "victim token" }));
    const v: Victim = { email, credentialId: String(cred.id), instanceId: String(inst.id), apiTokenId: String(token.id), label };
    const victimMarks = [v.email, v.credentialId, v.instanceId, v.apiTokenId, v.label, "victim-bot", "victim token"];

    const intruder = await verifiedUser(uniqueEmail("intruder"));
    for (const op of ops) {
      if (PUBLIC_OPERATIONS.has(op.key)) continue;
      const c = CASES[op.key];
      if (!c) continue; // reported by the coverage test
      const input: { params?: Record<string, string>; body?: unknown; query?: string } = "foreign" in c ? c.foreign(v) : c.own(v);
      const path = fill(op.path, input.params ?? {}) + (input.query ?? "");
      const res = await intruder.request(op.method, path, input.body ?? (STATE_CHANGING.has(op.method) ? {} : undefined));
      const text = await res.clone().text();
      for (const mark of victimMarks) expect(text, `${op.key} leaks ${mark}`).not.toContain(mark);
      expect(res.status, op.key).not.toBe(403);
      expect(res.status, op.key).toBeLessThan(500);
      if ("foreign" in c) {
        expect(res.status, op.key).toBe(404);
        expect((await expectStandardError(res, op.key)).code).toBe("NOT_FOUND");
      }
    }

    // The victim's resources are as they were.
    const mine = await json(await victim.get(`/api/v1/instances/${v.instanceId}`));
    expect(mine.state).not.toBe("deleting");
    const creds = (await json(await victim.get("/api/v1/credentials"))) as { items: { id: string; label: string }[] };
    expect(creds.items).toEqual([expect.objectContaining({ id: v.credentialId, label })]);
    const me = (await json(await victim.get("/api/v1/me"))) as { user: { name: string } };
    expect(me.user.name).toBe("Test User");
    const tokens = (await json(await victim.get("/api/v1/api-tokens"))) as { items: { id: string }[] };
    expect(tokens.items.map((i) => i.id)).toEqual([v.apiTokenId]);
    const audit = (await json(await victim.get("/api/v1/audit-log?limit=200"))) as { items: { action: string }[] };
    expect(audit.items.map((e) => e.action).sort()).toEqual(
      ["auth.sign_up", "credential.create", "credential.use", "instance.create"].sort(),
    );
  });
});
