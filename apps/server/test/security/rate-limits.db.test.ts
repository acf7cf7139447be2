// Rate limits → 429 with Retry-After in the standard error body: sign-in per (account, address)
// and per address — a guesser elsewhere never locks the real user out —, sign-up, adding cloud
// accounts and deploys. Counted in the database (shared by every replica). The allowances are
// scaled down (CLAWCLOUD_RATE_LIMIT_SCALE) so a few requests reach them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DigitalOceanSimulator,
  DO_TOKENS,
  startDigitalOceanSimulator,
} from "../../../../packages/providers/test/simulator/digitalocean.ts";
import { startTestApp, type TestApp, type TestClient, uniqueEmail } from "../../../../test-support/test-app.ts";
import { expectStandardError } from "./operations.ts";

let sim: DigitalOceanSimulator;
let t: TestApp;
// Scale 0.2: sign-in 2 per (account, address) per 15 min and 2 per address per minute; sign-up 4
// per address per hour; 6 cloud accounts and 6 deploys per workspace per hour.
const SCALE = "0.2";

beforeAll(async () => {
  sim = await startDigitalOceanSimulator({ rateLimits: false });
  t = await startTestApp({
    env: { CLAWCLOUD_RATE_LIMIT_SCALE: SCALE, CLAWCLOUD_TRUST_PROXY: "true", CLAWCLOUD_DIGITALOCEAN_API_URL: sim.url },
  });
});
afterAll(async () => {
  await t?.stop();
  await sim?.stop();
});

let ipSeq = 0;
/** A client at its own address (through the trusted proxy's X-Forwarded-For). */
function clientAt(ip = `198.51.100.${++ipSeq}`): TestClient & { ip: string } {
  const c = t.client();
  const request = c.request.bind(c);
  c.request = (method, path, body, headers = {}) => request(method, path, body, { "x-forwarded-for": ip, ...headers });
  return Object.assign(c, { ip });
}

async function expect429(res: Response, context: string) {
  expect(res.status, context).toBe(429);
  const retry = Number(res.headers.get("retry-after"));
  expect(retry, context).toBeGreaterThan(0);
  expect((await expectStandardError(res, context)).code).toBe("RATE_LIMITED");
}

describe("rate limits", () => {
  it("sign-in: the guesser is stopped, the real user still signs in", async () => {
    const email = uniqueEmail("target");
    expect((await clientAt().signUp(email)).status).toBe(200);
    const attacker = clientAt();
    for (let i = 0; i < 2; i++) expect((await attacker.signIn(email, `guess number ${i}`)).status).toBe(401);
    await expect429(await attacker.signIn(email, "guess number 3"), "third guess");
    await expect429(await attacker.signIn(email), "even the right password, from the guesser's address");
    const owner = clientAt();
    expect((await owner.signIn(email)).status).toBe(200);
  });

  it("sign-in from ever new addresses never locks the account", async () => {
    // Same account, a fresh address each time: each address has its own small budget.
    const email = uniqueEmail("spray");
    await clientAt().signUp(email);
    for (let i = 0; i < 3; i++) expect((await clientAt().signIn(email, "wrong password")).status).toBe(401);
    expect((await clientAt().signIn(email)).status).toBe(200);
  });

  it("sign-up per address", async () => {
    const c = clientAt();
    for (let i = 0; i < 4; i++) expect((await c.signUp(uniqueEmail("many"))).status, `sign-up ${i}`).toBe(200);
    await expect429(await c.signUp(uniqueEmail("many")), "fifth sign-up");
  });

  it("adding cloud accounts and deploying, per workspace", async () => {
    const c = clientAt();
    await c.signUp(uniqueEmail("builder"));
    for (let i = 0; i < 6; i++) {
      const res = await c.post("/api/v1/credentials", { provider: "digitalocean", label: `DO ${i}`, secret: DO_TOKENS.revoked });
      expect(res.status, `credential ${i}`).toBe(422);
    }
    await expect429(
      await c.post("/api/v1/credentials", { provider: "digitalocean", label: "DO 7", secret: DO_TOKENS.valid }),
      "7th cloud account",
    );
    // Deploys count whether or not they can start (here cloud deploys are not configured).
    const deploy = {
      name: "bot",
      provider: "digitalocean",
      credentialId: "crd_01jf3z0d6y8k2m4n5p7q9r1s3t",
      region: "nyc3",
      size: "s-2vcpu-4gb",
    };
    for (let i = 0; i < 6; i++) expect((await c.post("/api/v1/instances", deploy)).status, `deploy ${i}`).not.toBe(429);
    await expect429(await c.post("/api/v1/instances", deploy), "7th deploy");
    // Another workspace has its own budget.
    const other = clientAt(c.ip);
    await other.signUp(uniqueEmail("neighbour"));
    expect((await other.post("/api/v1/instances", deploy)).status).not.toBe(429);
  });
});
