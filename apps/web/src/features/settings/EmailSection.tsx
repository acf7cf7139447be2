import { errorMessage } from "../../lib/api";
import { FormAlert } from "../../ui/FormAlert";
import { IconAlert, IconCheck } from "../../ui/icons";
import { Spinner } from "../../ui/Spinner";
import { useResendVerification, useSession } from "../auth/session";
import { Section } from "./Section";

export function EmailSection() {
  const { user } = useSession();
  const resend = useResendVerification();

  return (
    <Section id="settings-email" title="E-mail" description="Where we send sign-in links and alerts about your instances.">
      <div className="email-row">
        <p className="email-address">{user.email}</p>
        {user.emailVerified ? (
          <span className="badge badge-success">
            <IconCheck width={14} height={14} /> Verified
          </span>
        ) : (
          <span className="badge badge-warning">
            <IconAlert width={14} height={14} /> Not verified
          </span>
        )}
      </div>
      {user.emailVerified ? null : (
        <div className="email-verify">
          <p className="section-text">Verify your e-mail to deploy to a cloud. Deploying to this machine works now.</p>
          <div className="form-actions">
            <button type="button" className="btn btn-secondary" onClick={() => resend.mutate(user.email)} disabled={resend.isPending}>
              {resend.isPending ? <Spinner /> : null}
              Resend verification e-mail
            </button>
            <span className="form-status" role="status" aria-live="polite">
              {resend.isSuccess ? `Sent. Check your inbox at ${user.email}.` : null}
            </span>
          </div>
          <FormAlert>{resend.isError ? errorMessage(resend.error) : null}</FormAlert>
        </div>
      )}
    </Section>
  );
}
