import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { Spinner } from "../../ui/Spinner";
import { useRevokeSupport, useSupportAccess } from "./api";
import { GrantSupportDialog } from "./GrantSupportDialog";

const hhmm = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/** Who can reach this server, always shown: nobody but the owner, or support until a time. */
export function SupportAccessPanel({ instanceId, canGrant }: { instanceId: string; canGrant: boolean }) {
  const access = useSupportAccess(instanceId);
  const revoke = useRevokeSupport(instanceId);
  const [granting, setGranting] = useState(false);
  const grant = access.data?.grant;
  const active = access.data?.active === true && grant;

  return (
    <section
      className={`card support-access${active ? " support-access-active" : ""}`}
      aria-labelledby="support-title"
      data-testid="support-access"
    >
      <h2 id="support-title" className="support-title">
        Server access
      </h2>
      {access.isPending ? (
        <p className="support-text" role="status">
          <Spinner /> Checking who can reach this server…
        </p>
      ) : access.isError ? (
        <p className="support-text" role="alert">
          Could not load the access state: {errorMessage(access.error)}{" "}
          <button type="button" className="btn btn-secondary" onClick={() => void access.refetch()}>
            Try again
          </button>
        </p>
      ) : active ? (
        <>
          <p className="support-text" aria-live="polite">
            <strong>
              Support can reach this server until <time dateTime={grant.expiresAt}>{hhmm.format(new Date(grant.expiresAt))}</time>
            </strong>{" "}
            <span className="support-sub">({formatDateTime(grant.expiresAt)})</span>
          </p>
          <p className="support-reason-text">Reason: {grant.reason}</p>
          <div className="support-actions">
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => revoke.mutate()}
              disabled={revoke.isPending}
              aria-busy={revoke.isPending || undefined}
            >
              {revoke.isPending ? <Spinner /> : null}
              <span>{revoke.isPending ? "Revoking…" : "Revoke now"}</span>
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="support-text" aria-live="polite">
            <strong>No one but you can reach this server.</strong> Claw Cloud holds no SSH key for it and no port is open.
          </p>
          {canGrant ? (
            <div className="support-actions">
              <button type="button" className="btn btn-secondary" onClick={() => setGranting(true)}>
                Grant support access
              </button>
            </div>
          ) : null}
        </>
      )}
      {revoke.isError ? (
        <p className="support-error" role="alert">
          {errorMessage(revoke.error)}
        </p>
      ) : null}
      <GrantSupportDialog instanceId={instanceId} open={granting} onClose={() => setGranting(false)} />
    </section>
  );
}
