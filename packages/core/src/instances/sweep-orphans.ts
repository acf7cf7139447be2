// The sweeper: a server tagged `clawcloud-instance:*` in a user's cloud account that no live
// instance owns is an orphan (its instance was deleted, its deploy failed, or a lost create made a
// duplicate) and costs the user money. Each credential's tagged servers are listed and the orphans
// deleted. A server whose instance is still creating is left alone: its id may not be saved yet.
import type { Provider } from "@clawcloud/contracts";
import { type Db, inArray, schema } from "@clawcloud/db";
import type { CredentialDeps } from "../credentials/create-credential.ts";
import { openDriver } from "../credentials/use-credential.ts";
import type { Logger } from "../logger.ts";

export interface SweepReport {
  credentials: number;
  orphansDeleted: number;
  errors: number;
}

export async function sweepOrphans(deps: CredentialDeps & { log: Logger }): Promise<SweepReport> {
  const report: SweepReport = { credentials: 0, orphansDeleted: 0, errors: 0 };
  const credentials = await deps.db
    .select({
      id: schema.cloudCredentials.id,
      workspaceId: schema.cloudCredentials.workspaceId,
      provider: schema.cloudCredentials.provider,
    })
    .from(schema.cloudCredentials);
  for (const cred of credentials) {
    report.credentials++;
    try {
      const driver = await openDriver(deps, { workspaceId: cred.workspaceId }, cred.id);
      {
        const servers = await driver.findServersByTag();
        const ids = [...new Set(servers.map((s) => s.instanceId).filter((x): x is string => !!x))];
        const rows = ids.length ? await liveInstances(deps.db, ids) : new Map();
        for (const server of servers) {
          const owner = server.instanceId ? rows.get(server.instanceId) : undefined;
          const inFlight = owner?.step === "create_pending";
          const owned = owner && owner.state !== "failed" && (owner.serverId === server.id || inFlight);
          const keptForInspection = owner?.state === "failed" && owner.keepOnFailure && owner.serverId === server.id;
          if (owned || inFlight || keptForInspection || server.status === "gone" || server.status === "deleting") continue;
          await driver.deleteServer(server.id);
          report.orphansDeleted++;
          deps.log.info(
            { provider: cred.provider as Provider, serverId: server.id, instanceId: server.instanceId },
            "deleted an orphaned server",
          );
        }
      }
    } catch (err) {
      report.errors++;
      deps.log.warn({ credentialId: cred.id, err: (err as Error).message }, "orphan sweep skipped a credential");
    }
  }
  return report;
}

async function liveInstances(db: Db, ids: string[]) {
  const rows = await db
    .select({
      id: schema.instances.id,
      state: schema.instances.state,
      step: schema.instances.step,
      serverId: schema.instances.serverId,
      keepOnFailure: schema.instances.keepOnFailure,
    })
    .from(schema.instances)
    .where(inArray(schema.instances.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}
