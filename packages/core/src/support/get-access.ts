import type { SupportAccess } from "@clawcloud/contracts";
import type { Db } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { findInstance } from "../instances/get-instance.ts";
import { latestGrant } from "./latest-grant.ts";
import { accessView } from "./support-view.ts";

export async function getSupportAccess(db: Db, actor: Actor, instanceId: string): Promise<SupportAccess> {
  await findInstance(db, actor, instanceId);
  return accessView(await latestGrant(db, instanceId));
}
