import type { ReactNode } from "react";

export function Section({ id, title, description, children }: { id: string; title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <section className="card settings-section" aria-labelledby={id}>
      <div className="settings-section-head">
        <h2 id={id} className="section-title">
          {title}
        </h2>
        {description ? <p className="section-description">{description}</p> : null}
      </div>
      <div className="settings-section-body">{children}</div>
    </section>
  );
}
