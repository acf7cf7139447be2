// The provisioning state machine, one step per call:
//   pending → creating (create_pending) → booting → bootstrapping (awaiting_agent) → ready
// Each step persists before the next provider call, so a crash anywhere resumes from the last
// persisted step. Before creating, the server is looked up by its instance tag, so a create whose
// response was lost is found instead of repeated. Retryable provider errors back off (honouring
// Retry-After); the others fail fast with the provider's reason.
import { type Db, eq, schema } from "@clawcloud/db";
import { ProviderError } from "@clawcloud/providers";
import { hashToken, REGISTRATION_TTL_MS, registrationTokenFor } from "../agents/registration-token.ts";
import type { CredentialDeps } from "../credentials/create-credential.ts";
import { openDriver } from "../credentials/use-credential.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Queue } from "../queue/queue.ts";
import { recordEvent } from "./events.ts";
import { releaseLease, takeLease } from "./lease.ts";
import type { LocalRuntime } from "./local/local-runtime.ts";
import { stepLocal } from "./local/provision-local.ts";

export interface UserDataInput {
  instanceId: string;
  registrationToken: string;
  openclawVersion: string;
  memoryMb: number | null;
}

export interface ProvisionDeps extends CredentialDeps {
  queue: Queue;
  renderUserData: (input: UserDataInput) => string;
  /** Derives registration tokens (see registrationTokenFor). */
  registrationKey: string;
  log: Logger;
  /** The `local` provider, in a process that runs the workers. */
  local?: LocalRuntime | undefined;
  /** Injectable for tests: the base of the backoff, in seconds. */
  backoffBaseSec?: number;
  /** Injectable for tests: how long a worker holds an instance's lease, in seconds (default 120). */
  leaseSeconds?: number;
}

/** Done, or call again after `again` seconds. */
export type StepOutcome = { done: true } | { again: number };

export type Row = typeof schema.instances.$inferSelect;

/** When to look at a created server once: most boot and call back well within this. */
export const BOOT_CHECK_SEC = 90;

export const NEVER_CALLED_BACK = "The server booted but never called back: the agent did not register within 30 minutes.";

export function backoffSeconds(retries: number, base = 5, retryAfter?: number): number {
  const exp = Math.min(300, base * 2 ** Math.min(retries, 6));
  const jittered = exp / 2 + Math.random() * (exp / 2);
  return Math.max(retryAfter ?? 0, jittered);
}

export async function update(db: Db, id: string, values: Partial<Row>): Promise<void> {
  await db
    .update(schema.instances)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(schema.instances.id, id));
}

export async function transition(
  db: Db,
  row: Row,
  values: Partial<Row>,
  event: { step: string; status: "start" | "ok" | "failed" | "info"; message?: string },
) {
  await db.transaction(async (tx) => {
    await tx
      .update(schema.instances)
      // A step that succeeds ends the "Retrying: …" message of its earlier attempts.
      .set({ stateMessage: null, ...values, retries: 0, updatedAt: new Date() })
      .where(eq(schema.instances.id, row.id));
    await recordEvent(tx, row.id, event.step, event.status, event.message);
  });
}

/** Marks the instance failed with a reason a person can act on; its server (if any) is deleted
 * unless the user asked to keep it for inspection. */
export async function failInstance(
  deps: Pick<ProvisionDeps, "db" | "queue">,
  row: Pick<Row, "id" | "serverId" | "keepOnFailure" | "provider">,
  message: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx
      .update(schema.instances)
      .set({ state: "failed", step: "failed", stateMessage: message, updatedAt: new Date() })
      .where(eq(schema.instances.id, row.id));
    await recordEvent(tx, row.id, "failed", "failed", message);
    if (row.provider !== "local" && !row.keepOnFailure) {
      await deps.queue.enqueue(tx, "instance.delete", { instanceId: row.id, keepRow: true });
    }
  });
}

export async function advanceProvisioning(deps: ProvisionDeps, instanceId: string, worker: string): Promise<StepOutcome> {
  const row = await takeLease(deps.db, instanceId, worker, deps.leaseSeconds ?? 120);
  if (!row) {
    const [exists] = await deps.db.select({ id: schema.instances.id }).from(schema.instances).where(eq(schema.instances.id, instanceId));
    return exists ? { again: 15 } : { done: true }; // held by another worker, or deleted
  }
  try {
    return await step(deps, row);
  } catch (err) {
    const retryable = err instanceof ProviderError ? err.retryable : !(err instanceof AppError);
    if (retryable) {
      const retryAfter = err instanceof ProviderError ? err.retryAfter : undefined;
      await update(deps.db, row.id, { retries: row.retries + 1, stateMessage: `Retrying: ${(err as Error).message}`.slice(0, 500) });
      return { again: backoffSeconds(row.retries, deps.backoffBaseSec, retryAfter) };
    }
    await failInstance(deps, row, (err as Error).message);
    return { done: true };
  } finally {
    await releaseLease(deps.db, instanceId, worker);
  }
}

async function step(deps: ProvisionDeps, row: Row): Promise<StepOutcome> {
  if (row.provider === "local") return stepLocal(deps, row);
  if (!row.credentialId)
    throw new AppError("CREDENTIAL_UNAVAILABLE", "The cloud account for this instance was removed. Delete the instance and deploy again.");
  const driver = await openDriver(deps, { workspaceId: row.workspaceId }, row.credentialId, { markUsed: true });

  switch (row.step) {
    case "pending":
      await transition(deps.db, row, { state: "creating", step: "create_pending" }, { step: "creating", status: "start" });
      return { again: 0 };

    case "create_pending": {
      // The driver's create looks the server up by its instance tag first, so a create whose answer
      // was lost is found, not repeated. The same token on every attempt, its hash persisted
      // before the call: whichever attempt's server comes to exist, its agent holds the token.
      const token = registrationTokenFor(deps.registrationKey, row.id);
      if (!row.registrationTokenHash) await update(deps.db, row.id, { registrationTokenHash: hashToken(token) });
      const userData = deps.renderUserData({
        instanceId: row.id,
        registrationToken: token,
        openclawVersion: row.openclawVersion ?? "",
        memoryMb: row.memoryMb,
      });
      const server = await driver.createServer({
        instanceId: row.id,
        name: `clawcloud-${row.id.slice(4, 16)}`,
        region: row.region ?? "",
        size: row.size ?? "",
        userData,
        firewall: { inbound: [] },
      });
      await deps.db.transaction(async (tx) => {
        await tx
          .update(schema.instances)
          .set({
            state: "booting",
            step: "awaiting_agent",
            serverId: server.id,
            ipv4: server.ipv4 ?? null,
            retries: 0,
            stateMessage: null,
            // The agent has 30 minutes from now, when its server exists, to call back.
            registrationExpiresAt: new Date(Date.now() + REGISTRATION_TTL_MS),
            updatedAt: new Date(),
          })
          .where(eq(schema.instances.id, row.id));
        await recordEvent(tx, row.id, "creating", "ok");
        await recordEvent(tx, row.id, "booting", "start");
      });
      // No polling while it boots: the agent calling back is the proof. One look later records
      // the address and notices a server that vanished.
      return { again: BOOT_CHECK_SEC };
    }

    case "booting": // rows from before the boot check moved into awaiting_agent
    case "awaiting_agent": {
      const expires = row.registrationExpiresAt?.getTime() ?? 0;
      if (!row.registeredAt && expires <= Date.now()) {
        await failInstance(deps, row, NEVER_CALLED_BACK);
        return { done: true };
      }
      if (!row.ipv4 && row.serverId) {
        const server = await driver.getServer(row.serverId);
        if (!server || server.status === "gone" || server.status === "deleting") {
          throw new AppError("VALIDATION_FAILED", "The server disappeared from the cloud account while it was booting.");
        }
        if (server.ipv4) await update(deps.db, row.id, { ipv4: server.ipv4 });
      }
      if (row.registeredAt) return { done: true };
      return { again: Math.max(1, (expires - Date.now()) / 1000) };
    }

    default:
      return { done: true }; // ready, failed, deleting: nothing to provision
  }
}
