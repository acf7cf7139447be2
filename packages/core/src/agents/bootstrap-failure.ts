// A first boot that failed on the server (reported by the agent, or by the bootstrap script itself
// before the agent runs) fails the instance at once with the script's reason, instead of leaving
// it "setting up" until the provisioning time-out.
import { type Db, eq, schema } from "@clawcloud/db";
import { failInstance } from "../instances/provision.ts";
import type { Queue } from "../queue/queue.ts";

export interface BootstrapFailureDeps {
  db: Db;
  queue: Queue;
}

/** The states in which a server is still being set up: a bootstrap failure ends them. */
const SETTING_UP = new Set(["creating", "booting", "bootstrapping"]);

export function bootstrapFailureMessage(reason: string | undefined): string {
  const why = reason?.trim() ? reason.trim() : "no reason given";
  return `The setup on the server failed (${why}). Fix the cause and retry the deploy; the server's log is /var/log/clawcloud-bootstrap.log.`.slice(
    0,
    500,
  );
}

/** Fails an instance still being set up: with the bootstrap's reason, or with `message` as is. */
export async function failBootstrap(
  deps: BootstrapFailureDeps,
  instanceId: string,
  reason: string | undefined,
  message = bootstrapFailureMessage(reason),
): Promise<void> {
  const [row] = await deps.db.select().from(schema.instances).where(eq(schema.instances.id, instanceId)).limit(1);
  if (!row || !SETTING_UP.has(row.state)) return;
  await failInstance(deps, row, message);
}
