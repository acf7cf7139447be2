// The one place other features attach to updates' progress: alerts "update failed" / "backup
// failed" listen to `finished` (createCore). Audit rows are not listeners: they are written in the
// transaction that requests the update or rollback (operations.ts, rollouts.ts).
// Listeners must not throw; a listener error is logged and ignored.
import type { Logger } from "../logger.ts";
import type { OperationKind } from "./operations.ts";

export interface OperationRequested {
  operationId: string;
  instanceId: string;
  workspaceId: string;
  kind: OperationKind;
  fromVersion: string;
  toVersion: string;
  /** The user who asked, or null for a fleet rollout. */
  userId: string | null;
  rolloutId: string | null;
}

export interface OperationFinished {
  operationId: string;
  instanceId: string;
  workspaceId: string;
  kind: OperationKind;
  fromVersion: string;
  toVersion: string;
  status: "succeeded" | "rolled_back" | "failed";
  /** The step that failed (e.g. `backup`, `update`, `health`), when one did. */
  failedStep: string | null;
  /** A human reason; never secrets (agent messages are redacted on the instance). */
  message: string | null;
}

export interface UpdateHooks {
  onRequested(listener: (e: OperationRequested) => void | Promise<void>): void;
  onFinished(listener: (e: OperationFinished) => void | Promise<void>): void;
  emitRequested(e: OperationRequested): Promise<void>;
  emitFinished(e: OperationFinished): Promise<void>;
}

export function createUpdateHooks(log: Logger): UpdateHooks {
  const requested: ((e: OperationRequested) => void | Promise<void>)[] = [];
  const finished: ((e: OperationFinished) => void | Promise<void>)[] = [];
  const emit = async <E>(listeners: ((e: E) => void | Promise<void>)[], e: E) => {
    for (const l of listeners) {
      try {
        await l(e);
      } catch (err) {
        log.error({ err }, "an update hook failed");
      }
    }
  };
  return {
    onRequested: (l) => requested.push(l),
    onFinished: (l) => finished.push(l),
    emitRequested: (e) => emit(requested, e),
    emitFinished: (e) => emit(finished, e),
  };
}
