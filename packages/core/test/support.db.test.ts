// Support grants against the real database: refused without a configured support key, one active
// grant at a time (also when two arrive at once), revoke ends it, the agent's state follows, and an
// expiry the agent reports is recorded once and never for a revoked grant.
import { type Database, eq, openDatabase, schema } from "@clawcloud/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.ts";
import type { Actor } from "../src/actor.ts";
import { newId } from "../src/ids.ts";
import { recordSupportReport } from "../src/support/agent-report.ts";
import { agentSupportState } from "../src/support/agent-state.ts";
import type { SupportDeps } from "../src/support/deps.ts";
import { grantSupportAccess } from "../src/support/grant-access.ts";
import { revokeSupportAccess } from "../src/support/revoke-access.ts";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB3zVx9dWk3Wm1n2q6bq3Y9rY2x1b3VkLXN1cHBvcnQtdGVzdA";
let tdb: TestDatabase;
let database: Database;
let actor: Actor;
const changed: string[] = [];
const deps = (publicKey: string | undefined): SupportDeps => ({ db: database.db, publicKey, changed: (id) => changed.push(id) });

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase({ url: tdb.databaseUrl, dataDir: tdb.dataDir });
  const workspaceId = newId("workspace");
  await database.db.insert(schema.workspaces).values({ id: workspaceId, name: "w", slug: workspaceId });
  const user = { id: newId("user"), name: "O", email: "o@example.com", emailVerified: true, createdAt: new Date() };
  actor = { userId: user.id, sessionId: "s", workspaceId, role: "owner", isStaff: false, user };
});
afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

async function readyInstance() {
  const id = newId("instance");
  await database.db
    .insert(schema.instances)
    .values({ id, workspaceId: actor.workspaceId, name: "t", provider: "digitalocean", state: "ready", step: "done" });
  return id;
}

describe("support grants", () => {
  it("are refused with a clear message when no support key is configured", async () => {
    const id = await readyInstance();
    await expect(grantSupportAccess(deps(undefined), actor, id, { hours: 1, reason: "x" })).rejects.toMatchObject({
      code: "SUPPORT_UNAVAILABLE",
      message: expect.stringMatching(/no support SSH key is configured/),
    });
  });

  it("allow one active grant at a time, even when two arrive at once; revoke ends it", async () => {
    const id = await readyInstance();
    const results = await Promise.allSettled([
      grantSupportAccess(deps(KEY), actor, id, { hours: 2, reason: "a" }),
      grantSupportAccess(deps(KEY), actor, id, { hours: 3, reason: "b" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")?.reason).toMatchObject({ code: "CONFLICT" });
    const state = await agentSupportState(database.db, id);
    expect(state.grant?.publicKey).toBe(KEY);
    expect(changed).toContain(id);

    const revoked = await revokeSupportAccess(deps(KEY), actor, id);
    expect(revoked.active).toBe(false);
    expect((await agentSupportState(database.db, id)).grant).toBeNull();
    // The agent's report of an expiry for a revoked grant is not an expiry.
    await recordSupportReport(database.db, id, "support-expired", revoked.grant?.id);
    const steps = (await database.db.select().from(schema.instanceEvents).where(eq(schema.instanceEvents.instanceId, id))).map(
      (e) => e.step,
    );
    expect(steps.filter((s) => s === "support_granted")).toHaveLength(1);
    expect(steps).toContain("support_revoked");
    expect(steps).not.toContain("support_expired");
  });

  it("record an expiry the agent reports once", async () => {
    const id = await readyInstance();
    const granted = await grantSupportAccess(deps(KEY), actor, id, { hours: 1, reason: "x" });
    await recordSupportReport(database.db, id, "support-expired", granted.grant?.id);
    await recordSupportReport(database.db, id, "support-expired", granted.grant?.id);
    await recordSupportReport(database.db, id, "support-expired", "sgr_not_this_instance");
    const steps = (await database.db.select().from(schema.instanceEvents).where(eq(schema.instanceEvents.instanceId, id))).map(
      (e) => e.step,
    );
    expect(steps.filter((s) => s === "support_expired")).toHaveLength(1);
  });
});
