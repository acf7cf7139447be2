// Adds a cloud account: validate the input, check the secret live with the provider (a bad token
// is refused with the provider's reason before anything is stored), then store it only as an
// envelope bound to this workspace and row.
import { createHash } from "node:crypto";
import { type CreateCredential, type CredentialSummary, createCredentialSchema } from "@clawcloud/contracts";
import { type Db, schema } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { byActor, recordAudit } from "../audit/record-audit.ts";
import { AppError } from "../errors.ts";
import { newId } from "../ids.ts";
import type { RequestLimits } from "../security/request-limit.ts";
import { parseInput } from "../validate.ts";
import { credentialAad, encryptSecret } from "../vault/envelope.ts";
import type { KeyProvider } from "../vault/key-provider.ts";
import { awsExternalIdFor } from "./aws-setup.ts";
import { credentialView } from "./credential-view.ts";
import { type DriverFactory, lastFour } from "./drivers.ts";
import { toAppError } from "./provider-error.ts";

export interface CredentialDeps {
  db: Db;
  keys: KeyProvider;
  drivers: DriverFactory;
  /** Derives the per-workspace AWS external ID (aws-setup.ts). */
  externalIdKey: string;
}

/** A stable, non-reversible identifier of a secret: spots the same token added twice. */
export function fingerprintOf(secret: CreateCredential["secret"]): string {
  const canonical = typeof secret === "string" ? secret : JSON.stringify(Object.entries(secret).sort());
  return `sha256:${createHash("sha256").update(canonical).digest("hex").slice(0, 16)}`;
}

export async function createCredential(
  deps: CredentialDeps & { limits: RequestLimits },
  actor: Actor,
  input: unknown,
): Promise<CredentialSummary> {
  const body = parseInput(createCredentialSchema, input);
  await deps.limits.check("credentialCreate", actor.workspaceId);
  if (
    body.provider === "aws" &&
    "roleArn" in body.secret &&
    body.secret.externalId !== awsExternalIdFor(deps.externalIdKey, actor.workspaceId)
  ) {
    throw new AppError(
      "VALIDATION_FAILED",
      "secret.externalId: use the external ID Claw Cloud shows for this workspace (GET /api/v1/credentials/aws-setup), and require it in the role's trust policy.",
    );
  }
  const check = await deps
    .drivers(body.provider, body.secret)
    .validateCredentials()
    .catch((err) => {
      throw toAppError(err);
    });
  if (check.missingScopes.length > 0) {
    throw new AppError(
      "CREDENTIAL_INSUFFICIENT",
      `This token is missing permissions Claw Cloud needs: ${check.missingScopes.join(", ")}. Create a token with them and add it again.`,
    );
  }
  const id = newId("credential");
  const envelope = await encryptSecret(deps.keys, JSON.stringify(body.secret), credentialAad(actor.workspaceId, id));
  const now = new Date();
  try {
    const row = await deps.db.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(schema.cloudCredentials)
        .values({
          id,
          workspaceId: actor.workspaceId,
          provider: body.provider,
          label: body.label,
          last4: lastFour(body.secret),
          fingerprint: fingerprintOf(body.secret),
          accountLabel: check.accountLabel?.slice(0, 200) ?? null,
          scopes: check.scopes ?? null,
          deleteAfterProvisioning: body.deleteAfterProvisioning ?? false,
          keyVersion: envelope.keyVersion,
          wrappedKey: envelope.wrappedKey,
          ciphertext: envelope.ciphertext,
          lastVerifiedAt: now,
        })
        .returning();
      if (!inserted) throw new Error("insert returned no row");
      await recordAudit(tx, {
        ...byActor(actor),
        action: "credential.create",
        target: { type: "credential", id },
        metadata: { provider: body.provider, label: body.label },
      });
      return inserted;
    });
    return credentialView(row);
  } catch (err) {
    if (
      (err as { code?: string; cause?: { code?: string } }).code === "23505" ||
      (err as { cause?: { code?: string } }).cause?.code === "23505"
    ) {
      throw new AppError("CONFLICT", "This token is already added to this workspace.");
    }
    throw err;
  }
}
