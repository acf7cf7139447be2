// The provisioning steps for `local` ("this machine"), the same state machine as the clouds':
//   pending → creating (create_pending) → booting (awaiting_agent) → bootstrapping → ready
// "Create" writes the install script into the instance's directory and starts it (the driver then
// runs the gateway and the agent); the agent registers with the one-time token like any server's.
import { eq, schema } from "@clawcloud/db";
import { hashToken, REGISTRATION_TTL_MS, registrationTokenFor } from "../../agents/registration-token.ts";
import { AppError } from "../../errors.ts";
import { recordEvent } from "../events.ts";
import { failInstance, NEVER_CALLED_BACK, type ProvisionDeps, type Row, type StepOutcome, transition, update } from "../provision.ts";

/** How often to look at a local install while waiting for its agent. */
const LOCAL_CHECK_SEC = 60;

export async function stepLocal(deps: ProvisionDeps, row: Row): Promise<StepOutcome> {
  const local = deps.local;
  if (!local) throw new AppError("UNAVAILABLE", "Deploying to this machine needs a Claw Cloud process that runs the workers.");

  switch (row.step) {
    case "pending":
      await transition(deps.db, row, { state: "creating", step: "create_pending" }, { step: "creating", status: "start" });
      return { again: 0 };

    case "create_pending": {
      const blocker = local.blocker();
      if (blocker) throw new AppError("UNAVAILABLE", blocker);
      // Right after a start, before this server listens: a retry, not a failure.
      if (!local.serverUrl()) throw new Error("waiting for this server to listen");
      const token = registrationTokenFor(deps.registrationKey, row.id);
      if (!row.registrationTokenHash) await update(deps.db, row.id, { registrationTokenHash: hashToken(token) });
      let server: Awaited<ReturnType<typeof local.driver.createServer>>;
      try {
        server = await local.driver.createServer({
          instanceId: row.id,
          render: local.render({ instanceId: row.id, registrationToken: token, openclawVersion: row.openclawVersion ?? "" }),
        });
      } catch (err) {
        // This machine cannot run it (old Node.js, no npm, a bad value): retrying will not help.
        throw new AppError("UNAVAILABLE", (err as Error).message);
      }
      await deps.db.transaction(async (tx) => {
        await tx
          .update(schema.instances)
          .set({
            state: "booting",
            step: "awaiting_agent",
            serverId: server.id,
            ipv4: server.ipv4 ?? null,
            retries: 0,
            registrationExpiresAt: new Date(Date.now() + REGISTRATION_TTL_MS),
            updatedAt: new Date(),
          })
          .where(eq(schema.instances.id, row.id));
        await recordEvent(tx, row.id, "creating", "ok", "Installing on this machine");
        await recordEvent(tx, row.id, "booting", "start");
      });
      return { again: LOCAL_CHECK_SEC };
    }

    case "booting":
    case "awaiting_agent": {
      const expires = row.registrationExpiresAt?.getTime() ?? 0;
      if (!row.registeredAt && expires <= Date.now()) {
        await local.driver.stop(row.id);
        await failInstance(deps, row, NEVER_CALLED_BACK);
        return { done: true };
      }
      if (!(await local.driver.getServer(row.id))) {
        throw new AppError("VALIDATION_FAILED", "The instance's directory on this machine disappeared while it was installing.");
      }
      if (row.registeredAt) return { done: true };
      return { again: Math.max(1, Math.min(LOCAL_CHECK_SEC, (expires - Date.now()) / 1000)) };
    }

    default:
      return { done: true };
  }
}
