// A registration shortcut for load tests: N running instances with agent credentials, written
// straight into the database (registering 10,000 agents through one-time tokens would measure
// registration, not heartbeats). Returns each agent's bearer credential.

import { openDatabase, schema } from "@clawcloud/db";
import { hashToken, newSecretToken } from "../packages/core/src/agents/registration-token.ts";
import { newId } from "../packages/core/src/ids.ts";

export async function seedAgentFleet(
  db: { url: string | undefined; dataDir: string },
  count: number,
): Promise<{ instanceId: string; credential: string }[]> {
  const database = await openDatabase({ url: db.url, dataDir: db.dataDir });
  try {
    const workspaceId = newId("workspace");
    await database.db.insert(schema.workspaces).values({ id: workspaceId, name: "fleet", slug: workspaceId });
    const agents = Array.from({ length: count }, () => ({ instanceId: newId("instance"), credential: newSecretToken() }));
    for (let k = 0; k < count; k += 1000) {
      const slice = agents.slice(k, k + 1000);
      await database.db.insert(schema.instances).values(
        slice.map((a, n) => ({
          id: a.instanceId,
          workspaceId,
          name: `agent-${k + n}`,
          provider: "digitalocean",
          state: "ready",
          step: "ready",
          lastHeartbeatAt: new Date(),
        })),
      );
      await database.db
        .insert(schema.agentCredentials)
        .values(slice.map((a) => ({ id: newId("agentCredential"), instanceId: a.instanceId, secretHash: hashToken(a.credential) })));
    }
    return agents;
  } finally {
    await database.close();
  }
}
