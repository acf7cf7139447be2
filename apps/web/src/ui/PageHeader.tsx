import { type ReactNode, useEffect, useRef } from "react";

// The path whose page title last received focus. After a client-side navigation the new page's
// h1 takes focus, so keyboard and screen-reader users start at the top of the new content.
let focusedFor: string | null = null;

/** The page's h1, focused when the page is reached by navigation. */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const here = window.location.pathname;
    // Not on the first page of a visit: there the skip link and navigation come first.
    if (focusedFor !== null && focusedFor !== here) ref.current?.focus({ preventScroll: true });
    focusedFor = here;
  }, []);

  return (
    <header className="page-header">
      <div className="page-header-text">
        <h1 className="page-title" tabIndex={-1} ref={ref} data-page-title>
          {title}
        </h1>
        {description ? <p className="page-description">{description}</p> : null}
      </div>
      {actions ? <div className="page-header-actions">{actions}</div> : null}
    </header>
  );
}
