import type { CredentialSummary } from "@clawcloud/contracts";
import type { schema } from "@clawcloud/db";

type Row = typeof schema.cloudCredentials.$inferSelect;

/** The only shape a credential leaves the server in: no ciphertext, no key, no secret. */
export function credentialView(r: Row): CredentialSummary {
  return {
    id: r.id,
    provider: r.provider as CredentialSummary["provider"],
    label: r.label,
    last4: r.last4,
    fingerprint: r.fingerprint,
    accountLabel: r.accountLabel,
    scopes: r.scopes ?? null,
    status: r.status as CredentialSummary["status"],
    statusMessage: r.statusMessage,
    deleteAfterProvisioning: r.deleteAfterProvisioning,
    createdAt: r.createdAt.toISOString(),
    lastVerifiedAt: r.lastVerifiedAt?.toISOString() ?? null,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  };
}
