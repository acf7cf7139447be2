// Cloud accounts through the API, against the DigitalOcean simulator: checked live before they
// are stored, write-only afterwards, scoped to their workspace, failing closed alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BAD_ACCESS_KEY, Ec2Simulator } from "../../../packages/providers/test/aws/simulator.ts";
import {
  type DigitalOceanSimulator,
  DO_LIMITED_LACKS,
  DO_TOKENS,
  startDigitalOceanSimulator,
} from "../../../packages/providers/test/simulator/digitalocean.ts";
import { startTestApp, type TestApp, type TestClient, uniqueEmail } from "../../../test-support/test-app.ts";

let sim: DigitalOceanSimulator;
let ec2: Ec2Simulator;
let t: TestApp;
let owner: TestClient;

beforeAll(async () => {
  sim = await startDigitalOceanSimulator();
  ec2 = new Ec2Simulator();
  await ec2.start();
  t = await startTestApp({ env: { CLAWCLOUD_DIGITALOCEAN_API_URL: sim.url, CLAWCLOUD_AWS_API_URL: ec2.url } });
  owner = t.client();
  await owner.signUp(uniqueEmail("owner"));
});
afterAll(async () => {
  await t?.stop();
  await sim?.stop();
  await ec2?.close();
});

const add = (c: TestClient, secret: string, label = "Personal DO") =>
  c.post("/api/v1/credentials", { provider: "digitalocean", label, secret });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe("adding a cloud account", () => {
  it("verifies the token with the provider and returns only what may be shown", async () => {
    const res = await add(owner, DO_TOKENS.valid);
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ provider: "digitalocean", label: "Personal DO", last4: DO_TOKENS.valid.slice(-4), status: "valid" });
    expect(body.id).toMatch(/^crd_[0-9a-z]{26}$/);
    expect(body.fingerprint).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(Object.keys(body).sort()).toEqual(
      [
        "accountLabel",
        "createdAt",
        "deleteAfterProvisioning",
        "fingerprint",
        "id",
        "label",
        "last4",
        "lastUsedAt",
        "lastVerifiedAt",
        "provider",
        "scopes",
        "status",
        "statusMessage",
      ].sort(),
    );
    expect(JSON.stringify(body)).not.toContain(DO_TOKENS.valid.slice(0, -4));
    const list = (await (await owner.get("/api/v1/credentials")).json()) as { items: { id: string }[] };
    expect(list.items.map((i) => i.id)).toContain(body.id);
  });

  it("refuses a revoked token with the provider's reason, storing nothing", async () => {
    const before = ((await (await owner.get("/api/v1/credentials")).json()) as { items: unknown[] }).items.length;
    const res = await add(owner, DO_TOKENS.revoked);
    expect(res.status).toBe(422);
    const err = await errorOf(res);
    expect(err.code).toBe("CREDENTIAL_INVALID");
    expect(err.message).toMatch(/DigitalOcean/);
    expect(((await (await owner.get("/api/v1/credentials")).json()) as { items: unknown[] }).items.length).toBe(before);
  });

  it("names the permissions a custom-scoped token lacks", async () => {
    const res = await add(owner, DO_TOKENS.limited);
    expect(res.status).toBe(422);
    const err = await errorOf(res);
    expect(err.code).toBe("CREDENTIAL_INSUFFICIENT");
    for (const scope of DO_LIMITED_LACKS) expect(err.message).toContain(scope);
  });

  it("refuses the same token twice in one workspace", async () => {
    const c = t.client();
    await c.signUp(uniqueEmail());
    expect((await add(c, DO_TOKENS.valid)).status).toBe(201);
    const again = await add(c, DO_TOKENS.valid, "Again");
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe("CONFLICT");
  });

  it("validates the body before calling anyone", async () => {
    const calls = sim.server.requests.length;
    for (const [body, pattern] of [
      [{ provider: "digitalocean", label: "x", secret: "short" }, /secret: This token is too short/],
      [{ provider: "linode", label: "x", secret: DO_TOKENS.valid }, /provider/],
      [{ provider: "digitalocean", label: "", secret: DO_TOKENS.valid }, /label: Give the account a name/],
      [{ provider: "digitalocean", label: "x", secret: DO_TOKENS.valid, extra: 1 }, /unknown field "extra"/],
      [{ provider: "aws", label: "x", secret: { accessKeyId: "nope", secretAccessKey: "x".repeat(40) } }, /secret/],
    ] as const) {
      const res = await owner.post("/api/v1/credentials", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await errorOf(res)).message).toMatch(pattern);
    }
    expect(sim.server.requests.length).toBe(calls);
  });

  it("says so when the provider does not answer", async () => {
    sim.injectFault("server_error", { op: "account", status: 503, times: 1 });
    const c = t.client();
    await c.signUp(uniqueEmail());
    const res = await add(c, DO_TOKENS.valid);
    expect(res.status).toBe(502);
    expect((await errorOf(res)).code).toBe("PROVIDER_UNAVAILABLE");
  });
});

describe("using a cloud account", () => {
  it("lists regions and sizes with monthly prices from the account", async () => {
    const c = t.client();
    await c.signUp(uniqueEmail());
    const { id } = (await (await add(c, DO_TOKENS.valid)).json()) as { id: string };
    const regions = (await (await c.get(`/api/v1/credentials/${id}/regions`)).json()) as { items: { id: string; available: boolean }[] };
    expect(regions.items.length).toBeGreaterThan(0);
    const sizes = (await (await c.get(`/api/v1/credentials/${id}/sizes`)).json()) as {
      items: { id: string; memoryMb: number; priceMonthlyCents: number; currency: string }[];
    };
    expect(sizes.items.length).toBeGreaterThan(0);
    for (const s of sizes.items) {
      expect(s.priceMonthlyCents).toBeGreaterThan(0);
      expect(s.currency).toBe("USD");
    }
    // Reading the lists is not "using" the account: only deploys and deletes are.
    const after = (await (await c.get("/api/v1/credentials")).json()) as { items: { id: string; lastUsedAt: string | null }[] };
    expect(after.items.find((i) => i.id === id)?.lastUsedAt).toBeNull();
  });

  it("verifies again, and deletes", async () => {
    const c = t.client();
    await c.signUp(uniqueEmail());
    const { id } = (await (await add(c, DO_TOKENS.valid)).json()) as { id: string };
    const verified = await c.post(`/api/v1/credentials/${id}/verify`);
    expect(verified.status).toBe(200);
    expect(((await verified.json()) as { status: string }).status).toBe("valid");
    expect((await c.request("DELETE", `/api/v1/credentials/${id}`)).status).toBe(204);
    expect((await c.request("DELETE", `/api/v1/credentials/${id}`)).status).toBe(404);
    expect((await c.get(`/api/v1/credentials/${id}/regions`)).status).toBe(404);
  });
});

describe("another workspace", () => {
  it("can neither list, read, use, verify nor delete the account: 404 everywhere", async () => {
    const a = t.client();
    await a.signUp(uniqueEmail("a"));
    const { id } = (await (await add(a, DO_TOKENS.valid)).json()) as { id: string };
    const b = t.client();
    await b.signUp(uniqueEmail("b"));
    expect(((await (await b.get("/api/v1/credentials")).json()) as { items: unknown[] }).items).toEqual([]);
    for (const res of [
      await b.get(`/api/v1/credentials/${id}/regions`),
      await b.get(`/api/v1/credentials/${id}/sizes`),
      await b.post(`/api/v1/credentials/${id}/verify`),
      await b.request("DELETE", `/api/v1/credentials/${id}`),
    ]) {
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe("NOT_FOUND");
    }
    expect((await a.get(`/api/v1/credentials/${id}/regions`)).status).toBe(200);
  });
});

describe("AWS", () => {
  const keys = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

  it("adds an access key, checked against EC2, and lists its regions and priced sizes", async () => {
    const c = t.client();
    await c.signUp(uniqueEmail("aws"));
    const res = await c.post("/api/v1/credentials", { provider: "aws", label: "AWS", secret: keys });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; last4: string };
    expect(body.last4).toBe("MPLE");
    expect(JSON.stringify(body)).not.toContain(keys.secretAccessKey);
    const regions = (await (await c.get(`/api/v1/credentials/${body.id}/regions`)).json()) as { items: unknown[] };
    expect(regions.items.length).toBeGreaterThan(0);
    const sizes = (await (await c.get(`/api/v1/credentials/${body.id}/sizes`)).json()) as { items: { priceMonthlyCents: number }[] };
    expect(sizes.items.length).toBeGreaterThan(0);
    expect(sizes.items.every((s) => s.priceMonthlyCents > 0)).toBe(true);
  });

  it("refuses a key EC2 does not know", async () => {
    const c = t.client();
    await c.signUp(uniqueEmail("aws-bad"));
    const res = await c.post("/api/v1/credentials", { provider: "aws", label: "AWS", secret: { ...keys, accessKeyId: BAD_ACCESS_KEY } });
    expect(res.status).toBe(422);
    expect((await errorOf(res)).code).toBe("CREDENTIAL_INVALID");
  });

  it("issues the external ID for roles, per workspace, and refuses any other", async () => {
    const a = t.client();
    await a.signUp(uniqueEmail("aws-a"));
    const b = t.client();
    await b.signUp(uniqueEmail("aws-b"));
    const setupA = (await (await a.get("/api/v1/credentials/aws-setup")).json()) as { externalId: string; permissionsPolicy: unknown };
    const setupB = (await (await b.get("/api/v1/credentials/aws-setup")).json()) as { externalId: string };
    expect(setupA.externalId).toMatch(/^clawcloud-[0-9a-f]{32}$/);
    expect(setupA.externalId).not.toBe(setupB.externalId);
    expect(((await (await a.get("/api/v1/credentials/aws-setup")).json()) as { externalId: string }).externalId).toBe(setupA.externalId);
    expect(setupA.permissionsPolicy).toHaveProperty("Statement");
    const calls = ec2.log.length;
    const res = await a.post("/api/v1/credentials", {
      provider: "aws",
      label: "role",
      secret: { roleArn: "arn:aws:iam::123456789012:role/ClawCloud", externalId: setupB.externalId },
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/external ID Claw Cloud shows for this workspace/);
    expect(ec2.log.length).toBe(calls);
  });
});
