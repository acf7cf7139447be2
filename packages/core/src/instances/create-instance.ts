// Deploy: check the request against what the user's cloud account offers, then insert the
// instance and its provisioning job in one transaction (no instance without its job, and no job
// for an instance that was not saved).
import { createInstanceSchema, type Instance } from "@clawcloud/contracts";
import { eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { byActor, recordAudit } from "../audit/record-audit.ts";
import { type CatalogCache, listRegions, listSizes } from "../credentials/catalog.ts";
import type { CredentialDeps } from "../credentials/create-credential.ts";
import { findCredential } from "../credentials/find-credential.ts";
import { AppError } from "../errors.ts";
import { newId } from "../ids.ts";
import type { Queue } from "../queue/queue.ts";
import type { RequestLimits } from "../security/request-limit.ts";
import { parseInput } from "../validate.ts";
import { recordEvent } from "./events.ts";
import { getInstance } from "./get-instance.ts";

/** OpenClaw needs about 1 GB resident; below 2 GB a server swaps itself to a halt. */
export const MIN_MEMORY_MB = 2048;

export interface InstanceDeps extends CredentialDeps {
  queue: Queue;
  catalog: CatalogCache;
  defaultOpenclawVersion: string;
  /** Set when this server cannot deploy to clouds (no https address for agents, no agent bundle). */
  cloudDeployBlocker: string | undefined;
  /** Set when this server cannot deploy to its own machine. */
  localDeployBlocker: string | undefined;
}

export async function createInstance(deps: InstanceDeps & { limits: RequestLimits }, actor: Actor, input: unknown): Promise<Instance> {
  const body = parseInput(createInstanceSchema, input);
  await deps.limits.check("deploy", actor.workspaceId);
  let memoryMb: number | null = null;
  if (body.provider === "local") {
    // This machine: no cloud account, region or size, and no verified e-mail needed.
    if (deps.localDeployBlocker) throw new AppError("UNAVAILABLE", deps.localDeployBlocker);
  } else {
    if (deps.cloudDeployBlocker) throw new AppError("UNAVAILABLE", deps.cloudDeployBlocker);
    const [user] = await deps.db
      .select({ verified: schema.users.emailVerified })
      .from(schema.users)
      .where(eq(schema.users.id, actor.userId));
    if (!user?.verified) {
      throw new AppError("EMAIL_NOT_VERIFIED", "Verify your e-mail address to deploy to a cloud. Deploying to this machine works now.");
    }
    const credential = await findCredential(deps.db, actor, body.credentialId as string);
    if (credential.provider !== body.provider) {
      throw new AppError("VALIDATION_FAILED", `credentialId: this cloud account is a ${credential.provider} account, not ${body.provider}`);
    }
    const [regions, sizes] = await Promise.all([
      listRegions(deps, deps.catalog, actor, credential.id),
      listSizes(deps, deps.catalog, actor, credential.id),
    ]);
    const region = regions.items.find((r) => r.id === body.region);
    if (!region?.available) throw new AppError("VALIDATION_FAILED", `region: "${body.region}" is not available to this account`);
    const size = sizes.items.find((s) => s.id === body.size);
    if (!size) throw new AppError("VALIDATION_FAILED", `size: "${body.size}" is not offered to this account`);
    if (size.memoryMb < MIN_MEMORY_MB) {
      throw new AppError(
        "VALIDATION_FAILED",
        `size: ${size.id} has ${Math.round(size.memoryMb / 102.4) / 10} GB of memory; OpenClaw needs at least 2 GB (4 GB recommended)`,
      );
    }
    if (size.regions.length > 0 && !size.regions.includes(region.id)) {
      throw new AppError("VALIDATION_FAILED", `size: ${size.id} is not offered in ${region.id}`);
    }
    memoryMb = size.memoryMb;
  }
  const id = newId("instance");
  await deps.db.transaction(async (tx) => {
    await tx.insert(schema.instances).values({
      id,
      workspaceId: actor.workspaceId,
      name: body.name,
      provider: body.provider,
      credentialId: body.credentialId ?? null,
      region: body.region ?? null,
      size: body.size ?? null,
      memoryMb,
      openclawVersion: body.openclawVersion ?? deps.defaultOpenclawVersion,
      keepOnFailure: body.keepOnFailure ?? false,
    });
    await recordEvent(tx, id, "pending", "info", "Deploy requested");
    await recordAudit(tx, {
      ...byActor(actor),
      action: "instance.create",
      target: { type: "instance", id },
      metadata: { name: body.name, provider: body.provider, region: body.region ?? null, size: body.size ?? null },
    });
    if (body.credentialId) {
      await recordAudit(tx, {
        ...byActor(actor),
        action: "credential.use",
        target: { type: "credential", id: body.credentialId },
        metadata: { purpose: "deploy", instanceId: id },
      });
    }
    await deps.queue.enqueue(tx, "instance.provision", { instanceId: id });
  });
  return getInstance(deps.db, actor, id);
}
