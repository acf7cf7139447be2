// The same deploy workflow — state machine, registration, heartbeat, delete finalizer — driving
// each cloud's driver against its simulator: DigitalOcean, Hetzner, Vultr, AWS EC2, Azure and GCP.
import { randomBytes } from "node:crypto";
import { type Database, eq, openDatabase, schema } from "@clawcloud/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.ts";
import { awsHarness } from "../../providers/test/aws/harness.ts";
import { azureHarness } from "../../providers/test/azure/harness.ts";
import type { Harness } from "../../providers/test/conformance.ts";
import { gcpHarness } from "../../providers/test/gcp/harness.ts";
import { digitalOceanHarness, hetznerHarness, vultrHarness } from "../../providers/test/harnesses.ts";
import { recordHeartbeat } from "../src/agents/record-heartbeat.ts";
import { registerAgent } from "../src/agents/register-agent.ts";
import { newId } from "../src/ids.ts";
import { finalizeDelete } from "../src/instances/delete-instance.ts";
import { advanceProvisioning, type ProvisionDeps } from "../src/instances/provision.ts";
import { type Queue, startQueue } from "../src/queue/queue.ts";
import { credentialAad, encryptSecret } from "../src/vault/envelope.ts";
import { LocalKeyProvider } from "../src/vault/local-key-provider.ts";
import { heartbeat, silent } from "./support/provisioning-harness.ts";

let tdb: TestDatabase;
let database: Database;
let queue: Queue;
let workspaceId: string;
const keys = LocalKeyProvider.fromEnv(`1:${randomBytes(32).toString("base64")}`);

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase({ url: tdb.databaseUrl, dataDir: tdb.dataDir });
  queue = await startQueue({ connection: database.connection, log: silent, worker: false });
  workspaceId = newId("workspace");
  await database.db.insert(schema.workspaces).values({ id: workspaceId, name: "w", slug: workspaceId });
}, 120_000);
afterAll(async () => {
  await queue?.stop();
  await database?.close();
  await tdb?.drop();
});

/** State-machine dependencies whose drivers are the harness's (the stored secret is still opened). */
function depsFor(h: Harness): ProvisionDeps {
  return {
    db: database.db,
    keys,
    drivers: () => h.driver,
    externalIdKey: "k",
    queue,
    log: silent,
    backoffBaseSec: 0,
    registrationKey: randomBytes(32).toString("base64url"),
    renderUserData: (i) => `#cloud-config\n# token=${i.registrationToken}\n`,
  };
}

/** A stored credential and a pending instance for `provider`, in the harness's region and size. */
async function seedDeploy(provider: string, h: Harness): Promise<string> {
  const credentialId = newId("credential");
  const env = await encryptSecret(keys, JSON.stringify("sim-token"), credentialAad(workspaceId, credentialId));
  await database.db.insert(schema.cloudCredentials).values({
    id: credentialId,
    workspaceId,
    provider,
    label: provider,
    last4: "oken",
    fingerprint: `sha256:${randomBytes(8).toString("hex")}`,
    keyVersion: env.keyVersion,
    wrappedKey: env.wrappedKey,
    ciphertext: env.ciphertext,
  });
  const id = newId("instance");
  await database.db.insert(schema.instances).values({
    id,
    workspaceId,
    name: "t",
    provider,
    credentialId,
    region: h.fixture.region,
    size: h.fixture.size,
    openclawVersion: "2026.9.6",
  });
  return id;
}

const providers = [
  ["digitalocean", digitalOceanHarness],
  ["hetzner", hetznerHarness],
  ["vultr", vultrHarness],
  ["aws", awsHarness],
  ["azure", azureHarness],
  ["gcp", gcpHarness],
] as const;

describe.each(providers)("a deploy to %s", (provider, makeHarness) => {
  let h: Harness;
  let deps: ProvisionDeps;
  beforeAll(async () => {
    h = await makeHarness();
    deps = depsFor(h);
  });
  afterAll(() => h?.stop());

  it("reaches ready through the same steps, and delete leaves nothing behind", async () => {
    const id = await seedDeploy(provider, h);
    const row = async () => (await database.db.select().from(schema.instances).where(eq(schema.instances.id, id)))[0];
    for (let i = 0; i < 40 && (await row())?.step !== "awaiting_agent"; i++) {
      const r = await row();
      if (r?.state === "failed") throw new Error(`failed: ${r.stateMessage}`);
      await advanceProvisioning(deps, id, "w1");
    }
    const serverId = (await row())?.serverId ?? "";
    expect(h.sim.serverIds()).toContain(serverId);
    expect(h.sim.firewallOf(serverId)?.inbound ?? []).toEqual([]);
    const token = /token=(\S+)/.exec(h.sim.userDataOf(serverId) ?? "")?.[1] ?? "";
    await registerAgent(
      { db: database.db, queue, log: silent },
      { instanceId: id, token, publicKey: Buffer.alloc(32, 2).toString("base64"), agentVersion: "0.1.0" },
    );
    await recordHeartbeat(database.db, id, heartbeat());
    expect((await row())?.state).toBe("ready");
    for (let i = 0; i < 20 && (await row()); i++) await finalizeDelete(deps, id, "w1");
    expect(await row()).toBeUndefined();
    expect(h.sim.serverIds()).not.toContain(serverId);
    expect(h.sim.firewallCount()).toBe(0);
  });
});

describe.runIf(process.env.TEST_DATABASE === "postgres")("the database restarting mid-deploy", () => {
  it("costs a retried step, not a duplicate server or a stuck instance", async () => {
    const h = await digitalOceanHarness();
    try {
      const deps = depsFor(h);
      const id = await seedDeploy("digitalocean", h);
      await advanceProvisioning(deps, id, "w1"); // pending → create_pending
      // Every connection of this database is cut, as a server restart would.
      const pg = (await import("pg")).default;
      const admin = new pg.Client({ connectionString: tdb.databaseUrl });
      await admin.connect();
      const cut = await admin.query(
        "select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()) t",
      );
      await admin.end();
      expect(cut.rows[0].n).toBeGreaterThan(0);
      let errors = 0;
      for (let i = 0; i < 40; i++) {
        const [r] = await database.db
          .select()
          .from(schema.instances)
          .where(eq(schema.instances.id, id))
          .catch(() => [undefined]);
        if (r?.step === "awaiting_agent") break;
        // A step that hit a dead connection throws; the queue would run it again.
        await advanceProvisioning(deps, id, "w1").catch(() => errors++);
      }
      const [r] = await database.db.select().from(schema.instances).where(eq(schema.instances.id, id));
      expect(r?.step).toBe("awaiting_agent");
      expect(h.sim.serverCount()).toBe(1);
    } finally {
      await h.stop();
    }
  });
});
