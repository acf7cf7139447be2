// A verified user with a DigitalOcean account on the simulator, and a deploy of one instance up to
// the point where cloud-init would start the agent: what tests that run the real agent bundle
// against the server need (its registration token comes out of the droplet's user-data).
import { type DigitalOceanSimulator, DO_TOKENS } from "../packages/providers/test/simulator/digitalocean.ts";
import type { TestApp, TestClient } from "./test-app.ts";
import { uniqueEmail, waitForLog } from "./test-app.ts";

export async function verifiedUserWithAccount(t: TestApp, email = uniqueEmail("deploy")): Promise<{ c: TestClient; credentialId: string }> {
  const c = t.client();
  await c.signUp(email);
  const line = await waitForLog(t.logs, new RegExp(`Verify your e-mail.*${email.replace(/[.+]/g, "\\$&")}`));
  const link = new URL(JSON.parse(line).mail.link as string);
  await c.get(link.pathname + link.search);
  const res = await c.post("/api/v1/credentials", { provider: "digitalocean", label: "DO", secret: DO_TOKENS.valid });
  return { c, credentialId: ((await res.json()) as { id: string }).id };
}

/** Deploys to the simulator and waits for the droplet; returns the instance and its registration token. */
export async function deployUntilAgent(
  c: TestClient,
  sim: DigitalOceanSimulator,
  credentialId: string,
  name: string,
): Promise<{ instanceId: string; token: string }> {
  const created = await c.post("/api/v1/instances", { name, provider: "digitalocean", credentialId, region: "nyc3", size: "s-2vcpu-4gb" });
  const instanceId = ((await created.json()) as { id: string }).id;
  for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    const droplet = [...sim.droplets.values()].find((d) => d.tags.includes(`clawcloud-instance:${instanceId}`));
    const token = /CC_REGISTRATION_TOKEN='([A-Za-z0-9_-]+)'/.exec(droplet?.userData ?? "")?.[1];
    if (token) return { instanceId, token };
  }
  throw new Error("no droplet with a registration token");
}
