import { type ReactNode, useId } from "react";
import { Link } from "wouter";
import { errorMessage } from "../../lib/api";
import { providerName } from "../../lib/providers";
import { IconMail, IconMonitor, IconPlus } from "../../ui/icons";
import { Spinner } from "../../ui/Spinner";
import { useResendVerification } from "../auth/session";
import type { CloudCredential } from "../cloud-accounts/api";
import { CredentialStatusBadge } from "../cloud-accounts/CredentialStatus";
import { ProviderMark } from "../cloud-accounts/ProviderMark";
import { TokenMask } from "../cloud-accounts/TokenMask";
import { LOCAL, unusableReason } from "./draft";

const PROVIDER_ORDER = ["digitalocean", "hetzner", "vultr", "aws", "azure", "gcp"];

function VerifyNotice({ email }: { email: string }) {
  const resend = useResendVerification();
  return (
    <div className="deploy-notice deploy-notice-warning" data-testid="verify-to-deploy">
      <IconMail className="deploy-notice-icon" />
      <div className="deploy-notice-body">
        <p>
          <strong>Verify your e-mail to deploy to a cloud.</strong> Open the link we sent to {email}. “This machine” works without it.
        </p>
        <div className="deploy-notice-actions">
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => resend.mutate(email)} disabled={resend.isPending}>
            {resend.isPending ? <Spinner /> : null}
            {resend.isSuccess ? "Resend again" : "Resend verification e-mail"}
          </button>
          <span className="deploy-notice-status" role="status" aria-live="polite">
            {resend.isSuccess ? `Sent to ${email}` : null}
          </span>
          <span className="deploy-notice-status deploy-notice-error" role="alert">
            {resend.isError ? errorMessage(resend.error) : null}
          </span>
        </div>
      </div>
    </div>
  );
}

function TargetOption({
  name,
  value,
  checked,
  disabled,
  onChange,
  children,
  reason,
  describedBy,
}: {
  name: string;
  value: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (value: string) => void;
  children: ReactNode;
  reason?: string | null;
  describedBy?: string | undefined;
}) {
  const reasonId = useId();
  const ids = [reason ? reasonId : null, describedBy].filter(Boolean).join(" ") || undefined;
  return (
    <label className={`target-option${disabled ? " target-option-disabled" : ""}`}>
      <input
        type="radio"
        name={name}
        value={value}
        checked={checked}
        disabled={disabled}
        onChange={() => onChange(value)}
        aria-describedby={ids}
      />
      <span className="target-face">
        <span className="choice-radio" aria-hidden="true" />
        {children}
        {reason ? (
          <span id={reasonId} className="target-reason">
            {reason}
          </span>
        ) : null}
      </span>
    </label>
  );
}

export function WhereStep({
  value,
  onChange,
  credentials,
  credentialsError,
  onRetryCredentials,
  emailVerified,
  email,
  error,
  errorId,
  labelledBy,
}: {
  value: string | null;
  onChange: (target: string) => void;
  credentials: CloudCredential[] | undefined;
  credentialsError: unknown;
  onRetryCredentials: () => void;
  emailVerified: boolean;
  email: string;
  error: string | undefined;
  errorId: string;
  labelledBy: string;
}) {
  const name = useId();
  const groups = PROVIDER_ORDER.map((p) => ({ provider: p, items: (credentials ?? []).filter((c) => c.provider === p) })).filter(
    (g) => g.items.length > 0,
  );
  const describedBy = error ? errorId : undefined;

  return (
    <fieldset className="deploy-fieldset" aria-labelledby={labelledBy} aria-describedby={describedBy}>
      <div className="target-section">
        <h3 className="target-section-title">To try it out</h3>
        <TargetOption name={name} value={LOCAL} checked={value === LOCAL} onChange={onChange} describedBy={describedBy}>
          <span className="target-icon" aria-hidden="true">
            <IconMonitor />
          </span>
          <span className="target-text">
            <span className="target-name">
              This machine <span className="badge badge-success target-badge">Free</span>
            </span>
            <span className="target-desc">Runs next to Claw Cloud itself, for trying it out. No cloud account needed, nothing to pay.</span>
          </span>
        </TargetOption>
      </div>

      <div className="target-section">
        <div className="target-section-head">
          <h3 className="target-section-title">In your cloud account</h3>
          <Link href="/cloud-accounts/new" className="btn btn-ghost btn-sm">
            <IconPlus /> Add a cloud account
          </Link>
        </div>
        {emailVerified ? null : <VerifyNotice email={email} />}
        {credentials === undefined && !credentialsError ? (
          <p className="target-state" role="status">
            <Spinner /> Loading your cloud accounts…
          </p>
        ) : credentialsError ? (
          <div className="target-state target-state-error" role="alert">
            <p>
              <strong>We couldn't load your cloud accounts.</strong> {errorMessage(credentialsError)}
            </p>
            <button type="button" className="btn btn-secondary btn-sm" onClick={onRetryCredentials}>
              Try again
            </button>
          </div>
        ) : groups.length === 0 ? (
          <div className="target-empty">
            <p className="target-empty-title">No cloud account connected yet</p>
            <p>
              Connect DigitalOcean, Hetzner, Vultr or AWS and your assistant gets a server of its own, in your account, billed to you by
              your provider.
            </p>
            <Link href="/cloud-accounts/new" className="btn btn-secondary btn-sm">
              Add a cloud account
            </Link>
          </div>
        ) : (
          groups.map((group) => (
            <fieldset key={group.provider} className="target-group" aria-labelledby={`${name}-${group.provider}`}>
              <p id={`${name}-${group.provider}`} className="target-group-title">
                {providerName(group.provider)}
              </p>
              <div className="target-grid">
                {group.items.map((c) => {
                  const reason = unusableReason(c, emailVerified);
                  return (
                    <TargetOption
                      key={c.id}
                      name={name}
                      value={c.id}
                      checked={value === c.id}
                      disabled={reason !== null}
                      onChange={onChange}
                      reason={reason}
                      describedBy={describedBy}
                    >
                      <ProviderMark provider={c.provider} />
                      <span className="target-text">
                        <span className="target-name">{c.label}</span>
                        <span className="target-desc">
                          {c.accountLabel ? `${c.accountLabel}\u00a0· ` : ""}
                          <TokenMask last4={c.last4} />
                        </span>
                      </span>
                      {c.status === "valid" ? null : <CredentialStatusBadge status={c.status} />}
                    </TargetOption>
                  );
                })}
              </div>
            </fieldset>
          ))
        )}
      </div>
      {error ? (
        <p id={errorId} className="field-error deploy-field-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
