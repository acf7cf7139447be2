// "Verify again": re-checks the stored secret with the provider and records the outcome, so the
// page shows an expired or revoked token as invalid with the provider's reason.
import type { CredentialSummary } from "@clawcloud/contracts";
import { eq, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { byActor, recordAudit } from "../audit/record-audit.ts";
import { AppError } from "../errors.ts";
import type { CredentialDeps } from "./create-credential.ts";
import { credentialView } from "./credential-view.ts";
import { withCredential } from "./use-credential.ts";

export async function verifyCredential(deps: CredentialDeps, actor: Actor, id: string): Promise<CredentialSummary> {
  let status: "valid" | "invalid" = "valid";
  let statusMessage: string | null = null;
  let scopes: string[] | null | undefined;
  try {
    const check = await withCredential(deps, actor, id, (driver) => driver.validateCredentials());
    scopes = check.scopes ?? null;
    if (check.missingScopes.length > 0) {
      status = "invalid";
      statusMessage = `Missing permissions: ${check.missingScopes.join(", ")}.`;
    }
  } catch (err) {
    if (!(err instanceof AppError) || (err.code !== "CREDENTIAL_INVALID" && err.code !== "CREDENTIAL_INSUFFICIENT")) throw err;
    status = "invalid";
    statusMessage = err.message;
  }
  const row = await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(schema.cloudCredentials)
      .set({ status, statusMessage, lastVerifiedAt: new Date(), ...(scopes !== undefined ? { scopes } : {}) })
      .where(eq(schema.cloudCredentials.id, id))
      .returning();
    if (!updated) throw new Error("verified credential vanished");
    await recordAudit(tx, {
      ...byActor(actor),
      action: "credential.use",
      target: { type: "credential", id },
      metadata: { purpose: "verify", result: status },
    });
    return updated;
  });
  return credentialView(row);
}
