import type { ReactNode } from "react";
import { errorMessage } from "../lib/api";
import { IconAlert } from "./icons";

/** Placeholder rows while a list loads; announced once through a polite live region. */
export function LoadingList({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <div className="card loading-list" aria-busy="true">
      <p className="visually-hidden" role="status" aria-live="polite">
        {label}
      </p>
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
        <div className="skeleton-row" key={i} aria-hidden="true">
          <span className="skeleton skeleton-avatar" />
          <span className="skeleton skeleton-line" />
          <span className="skeleton skeleton-line skeleton-short" />
        </div>
      ))}
    </div>
  );
}

export function ErrorState({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  return (
    <div className="card state-card" role="alert">
      <div className="state-icon state-icon-danger" aria-hidden="true">
        <IconAlert />
      </div>
      <h2 className="state-title">{title}</h2>
      <p className="state-text">{errorMessage(error)}</p>
      {onRetry ? (
        <button type="button" className="btn btn-secondary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({
  illustration,
  title,
  children,
  actions,
}: {
  illustration: ReactNode;
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="card empty-state" aria-labelledby="empty-state-title">
      <div className="empty-illustration" aria-hidden="true">
        {illustration}
      </div>
      <h2 id="empty-state-title" className="state-title">
        {title}
      </h2>
      <div className="state-text">{children}</div>
      {actions ? <div className="empty-actions">{actions}</div> : null}
    </section>
  );
}
