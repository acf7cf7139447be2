import { Link } from "wouter";
import { providerName } from "../../lib/providers";
import { IconAlert } from "../../ui/icons";
import type { CloudCredential } from "./api";

const STATUS = {
  valid: { label: "Verified", tone: "success" },
  invalid: { label: "Invalid", tone: "danger" },
  unavailable: { label: "Unavailable", tone: "warning" },
} as const;

export function CredentialStatusBadge({ status }: { status: CloudCredential["status"] }) {
  const known = STATUS[status] ?? { label: status, tone: "neutral" };
  return (
    <span className={`badge badge-${known.tone}`}>
      <span className="badge-dot" aria-hidden="true" />
      {known.label}
    </span>
  );
}

/** What the secret is called at this provider, in running text. */
export function secretNoun(provider: string): string {
  return provider === "aws" ? "credential" : "token";
}

/**
 * Shown under an invalid or unavailable account: what went wrong (the server's message) and what
 * to do about it.
 */
export function CredentialProblem({ credential }: { credential: CloudCredential }) {
  if (credential.status === "valid") return null;
  const name = providerName(credential.provider);
  const invalid = credential.status === "invalid";
  const noun = secretNoun(credential.provider);
  const fallback = invalid
    ? `${name} no longer accepts this ${noun}. It may have expired or been revoked.`
    : `We couldn't use this account just now.`;
  return (
    <div className={`account-problem account-problem-${invalid ? "danger" : "warning"}`}>
      <IconAlert className="account-problem-icon" />
      <div>
        <p className="account-problem-message">{credential.statusMessage || fallback}</p>
        <p className="account-problem-action">
          {invalid ? null : "Verify it again in a minute. If it stays unavailable, "}
          <Link href={`/cloud-accounts/new?provider=${encodeURIComponent(credential.provider)}`}>
            {invalid ? `Create a new ${noun} and add it again` : `create a new ${noun} and add it again`}
          </Link>
          , then delete this one.
        </p>
      </div>
    </div>
  );
}
