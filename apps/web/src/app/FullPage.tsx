import { errorMessage } from "../lib/api";
import { IconAlert } from "../ui/icons";
import { LogoMark } from "../ui/Logo";
import { Spinner } from "../ui/Spinner";

export function FullPageLoading({ label = "Loading Claw Cloud…" }: { label?: string }) {
  return (
    <div className="full-page" aria-busy="true">
      <LogoMark size={36} />
      <p className="full-page-status" role="status" aria-live="polite">
        <Spinner /> <span>{label}</span>
      </p>
    </div>
  );
}

export function FullPageError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <main className="full-page" id="main">
      <div className="state-icon state-icon-danger" aria-hidden="true">
        <IconAlert />
      </div>
      <h1 className="state-title">We couldn't load Claw Cloud</h1>
      <p className="state-text" role="alert">
        {errorMessage(error)}
      </p>
      <button type="button" className="btn btn-primary" onClick={onRetry}>
        Try again
      </button>
    </main>
  );
}
