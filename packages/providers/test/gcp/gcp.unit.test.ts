// GCP driver behaviour beyond the shared suite: what goes over the wire (metadata, labels, no
// service account), requestId idempotency, operations that fail or are slow, Google's 403
// rateLimitExceeded, teardown, and the offline key path (self-signed JWTs, no token exchange).

import { afterEach, describe, expect, it, vi } from "vitest";
import { requestIdFor } from "../../src/gcp/index.ts";
import { expectProviderError, type Harness, newInstanceId } from "../conformance.ts";
import { gcpHarness } from "./harness.ts";
import type { GcpSimulator } from "./simulator/index.ts";

// The official SDKs load their clients (GCP: protobuf descriptors) on first use: seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

let h: (Harness & { sim: GcpSimulator }) | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const input = (over: Record<string, unknown> = {}) => ({
  instanceId: newInstanceId(),
  name: "claw-gcp-1",
  region: "europe-west3-a",
  size: "e2-medium",
  userData: "#cloud-config\nruncmd:\n  - echo hi\n",
  firewall: { inbound: [] },
  ...over,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("gcp: the create on the wire", () => {
  it("sends user-data, block-project-ssh-keys, no key, no service account, our label, and a requestId on every mutation", async () => {
    h = await gcpHarness();
    const i = input();
    await h.driver.createServer(i);
    const insert = h.sim.requests.find((r) => r.op === "create_server");
    const body = insert?.body as Record<string, unknown>;
    const meta = Object.fromEntries(
      ((body.metadata as { items: { key: string; value: string }[] }).items ?? []).map((m) => [m.key, m.value]),
    );
    expect(meta["user-data"]).toBe(i.userData);
    expect(meta["block-project-ssh-keys"]).toBe("TRUE");
    expect(meta["ssh-keys"]).toBeUndefined();
    expect(body.serviceAccounts, "no service account: the VM holds no Google credentials").toBeUndefined();
    expect((body.labels as Record<string, string>)["clawcloud-instance"]).toBe(i.instanceId);
    const mutations = h.sim.requests.filter((r) => r.method === "POST" && !r.path.endsWith("/wait") && !r.rawPath.startsWith("/v1/"));
    expect(mutations.length).toBeGreaterThan(1);
    for (const m of mutations) expect(m.query.requestId?.[0]).toMatch(UUID);
    const fw = h.sim.requests.find((r) => r.op === "create_firewall")?.body as Record<string, unknown>;
    expect(fw).toMatchObject({
      direction: "INGRESS",
      denied: [{ IPProtocol: "all" }],
      targetTags: [(body.tags as { items: string[] }).items[0]],
    });
  });

  it("a retried insert carries the same requestId, so Compute Engine makes one instance", async () => {
    h = await gcpHarness();
    const i = input();
    h.sim.injectFault("lost_response", { op: "create_firewall" });
    await expectProviderError(h.driver.createServer(i), "unavailable");
    await h.driver.createServer(i);
    const ids = h.sim.requests.filter((r) => r.op === "create_firewall").map((r) => r.query.requestId?.[0]);
    expect(ids.length).toBe(2);
    expect(ids[0]).toBe(ids[1]);
    expect(h.sim.firewallCount()).toBe(1);
    expect(h.sim.serverCount()).toBe(1);
    expect(requestIdFor("instance", i.instanceId)).toMatch(UUID);
  });
});

describe("gcp: operations", () => {
  it("an insert whose operation ends in a quota error is a quota error, and the firewall rule made for it goes", async () => {
    h = await gcpHarness();
    h.sim.opFault({
      operationType: "insert",
      target: /\/instances\//,
      error: { code: "QUOTA_EXCEEDED", message: "Quota 'CPUS' exceeded. Limit: 8.0 in region europe-west3." },
    });
    const e = await expectProviderError(h.driver.createServer(input()), "quota");
    expect(e.message).toMatch(/CPUS.*\[QUOTA_EXCEEDED\]/);
    expect(h.sim.serverCount()).toBe(0);
    expect(h.sim.firewallCount()).toBe(0);
  });

  it("a slow operation is waited on until DONE", async () => {
    h = await gcpHarness();
    h.sim.opFault({ operationType: "insert", target: /\/instances\//, extraPolls: 4 });
    const s = await h.driver.createServer(input());
    expect(s.status).not.toBe("gone");
    expect(h.sim.requests.filter((r) => r.op === "get_action").length).toBeGreaterThanOrEqual(5);
  });
});

describe("gcp: errors and teardown", () => {
  it("Google's 403 rateLimitExceeded (the per-minute API quota) is rate_limited, a plain 403 is forbidden", async () => {
    h = await gcpHarness({ quotaPerMinute: 2 });
    await h.driver.getServer("europe-west3-a/nope-1");
    await h.driver.getServer("europe-west3-a/nope-2");
    const e = await expectProviderError(h.driver.getServer("europe-west3-a/nope-3"), "rate_limited");
    expect(e.status).toBe(429);
    expect(e.retryAfter).toBe(30);
    expect(h.sim.requests.at(-1)?.status).toBe(403);
    await h.stop();
    h = await gcpHarness();
    h.sim.injectFault("server_error", { op: "list_regions", status: 403 });
    await expectProviderError(h.driver.listRegions(), "forbidden");
  });

  it("delete removes the instance and every firewall rule made for it, and refuses an instance that is not ours", async () => {
    h = await gcpHarness();
    const s = await h.driver.createServer(input({ firewall: { inbound: [{ port: 443, sources: ["198.51.100.0/24"] }] } }));
    expect(h.sim.firewallCount()).toBe(2);
    await h.driver.deleteServer(s.id);
    expect(h.sim.serverCount()).toBe(0);
    expect(h.sim.firewallCount()).toBe(0);
    const t = await h.driver.createServer(input());
    const inst = h.sim.world.instances.get(t.id);
    if (inst) inst.metadata = { items: [] };
    await expectProviderError(h.driver.deleteServer(t.id), "forbidden");
  });
});

describe("gcp: the key signs its own tokens", () => {
  it("every request carries a JWT the simulator verified against the key; nothing asks for an access token", async () => {
    h = await gcpHarness();
    await h.driver.validateCredentials();
    await h.driver.listRegions();
    expect(h.sim.audiences.size).toBeGreaterThan(0);
    expect(h.sim.requests.every((r) => !/token|oauth/i.test(r.rawPath))).toBe(true);
  });
});
