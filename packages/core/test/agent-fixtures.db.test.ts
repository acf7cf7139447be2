// The load-test helper that seeds registered instances: each credential it hands out is one the
// server accepts (authenticateAgent) for its own instance, in the workspace asked for, and a
// workspace is found by its member's e-mail.
import { type Database, eq, openDatabase, schema } from "@clawcloud/db";
import { afterAll, beforeAll, expect, it } from "vitest";
import { insertRegisteredInstances, workspaceOfUser } from "../../../test-support/agent-fixtures.ts";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.ts";
import { authenticateAgent } from "../src/agents/register-agent.ts";
import { newId } from "../src/ids.ts";

let tdb: TestDatabase;
let database: Database;

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase({ url: tdb.databaseUrl, dataDir: tdb.dataDir });
});
afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

it("seeds instances whose agent credentials authenticate, in batches, in the member's workspace", async () => {
  const workspaceId = newId("workspace");
  const userId = newId("user");
  await database.db.insert(schema.workspaces).values({ id: workspaceId, name: "w", slug: workspaceId });
  await database.db.insert(schema.users).values({ id: userId, name: "u", email: "fixture@example.com" });
  await database.db.insert(schema.members).values({ id: newId("member"), organizationId: workspaceId, userId, role: "owner" });

  expect(await workspaceOfUser(database.db, "fixture@example.com")).toBe(workspaceId);
  await expect(workspaceOfUser(database.db, "nobody@example.com")).rejects.toThrow(/no workspace/);

  const seeded = await insertRegisteredInstances(database.db, workspaceId, 7, 3);
  expect(new Set(seeded.map((s) => s.instanceId)).size).toBe(7);
  for (const s of seeded) expect(await authenticateAgent(database.db, s.credential)).toBe(s.instanceId);
  const rows = await database.db.select().from(schema.instances).where(eq(schema.instances.workspaceId, workspaceId));
  expect(rows).toHaveLength(7);
  // Only the hash is stored.
  const creds = await database.db.select().from(schema.agentCredentials);
  for (const s of seeded) expect(creds.some((c) => c.secretHash === s.credential)).toBe(false);
});
