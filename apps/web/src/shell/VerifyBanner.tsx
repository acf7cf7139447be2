import { useResendVerification } from "../features/auth/session";
import { errorMessage } from "../lib/api";
import { IconMail } from "../ui/icons";
import { Spinner } from "../ui/Spinner";

export function VerifyBanner({ email }: { email: string }) {
  const resend = useResendVerification();
  return (
    <section className="banner" aria-label="E-mail verification">
      <div className="container banner-inner">
        <IconMail className="banner-icon" />
        <p className="banner-text">
          <strong>Verify your e-mail to deploy to a cloud.</strong> Deploying to this machine works now.
        </p>
        <div className="banner-actions">
          <span className="banner-status" role="status" aria-live="polite">
            {resend.isSuccess ? `Sent to ${email}` : null}
          </span>
          <span className="banner-status banner-status-error" role="alert">
            {resend.isError ? errorMessage(resend.error) : null}
          </span>
          <button type="button" className="btn btn-sm btn-secondary" onClick={() => resend.mutate(email)} disabled={resend.isPending}>
            {resend.isPending ? <Spinner /> : null}
            {resend.isSuccess ? "Resend again" : "Resend"}
            <span className="visually-hidden"> verification e-mail</span>
          </button>
        </div>
      </div>
    </section>
  );
}
