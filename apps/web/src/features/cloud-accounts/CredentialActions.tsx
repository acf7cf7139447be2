import { errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { providerName } from "../../lib/providers";
import { Spinner } from "../../ui/Spinner";
import { type CloudCredential, useVerifyCredential } from "./api";

/**
 * "Verify again" and "Delete" for one account, with the outcome of a re-check announced politely
 * next to the buttons.
 */
export function CredentialActions({
  credential,
  onDelete,
  size = "sm",
}: {
  credential: CloudCredential;
  onDelete: (credential: CloudCredential) => void;
  size?: "sm" | "md";
}) {
  const verify = useVerifyCredential();
  const name = providerName(credential.provider);
  const btn = size === "sm" ? " btn-sm" : "";

  let outcome: string | null = null;
  if (verify.isPending) outcome = `Checking with ${name}…`;
  else if (verify.isError) outcome = errorMessage(verify.error);
  else if (verify.isSuccess)
    outcome =
      verify.data.status === "valid"
        ? `${name} accepted it ${formatRelative(verify.data.lastVerifiedAt ?? new Date().toISOString())}.`
        : `Checked: ${name} ${verify.data.status === "invalid" ? "no longer accepts it" : "couldn't be reached"}.`;

  return (
    <div className="account-actions">
      <div className="account-buttons">
        <button
          type="button"
          className={`btn btn-secondary${btn}`}
          onClick={() => verify.mutate(credential.id)}
          disabled={verify.isPending}
          aria-busy={verify.isPending || undefined}
        >
          {verify.isPending ? <Spinner /> : null}
          <span>{verify.isPending ? "Checking…" : "Verify again"}</span>
          <span className="visually-hidden"> {credential.label}</span>
        </button>
        <button type="button" className={`btn btn-ghost btn-danger-text${btn}`} onClick={() => onDelete(credential)}>
          Delete<span className="visually-hidden"> {credential.label}</span>
        </button>
      </div>
      <p className={`account-outcome${verify.isError ? " account-outcome-error" : ""}`} role="status" aria-live="polite">
        {outcome}
      </p>
    </div>
  );
}
