// GET /instances/{id}: the instance with its update fields (latest version, update available,
// pin, rollback version, the last update or rollback).
import type { InstanceDetail } from "@clawcloud/contracts";
import type { Db } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { findInstance, getInstance } from "../instances/get-instance.ts";
import { updateInfo } from "./operations.ts";

export async function getInstanceDetail(db: Db, actor: Actor, id: string): Promise<InstanceDetail> {
  const [instance, row] = await Promise.all([getInstance(db, actor, id), findInstance(db, actor, id)]);
  return { ...instance, ...(await updateInfo(db, row)) };
}
