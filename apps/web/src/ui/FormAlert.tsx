import type { ReactNode } from "react";
import { IconAlert, IconCheck } from "./icons";

/**
 * A live region that is always in the DOM so screen readers announce the message when it appears.
 * `tone="error"` is assertive, `tone="success"` polite.
 */
export function FormAlert({ tone = "error", children }: { tone?: "error" | "success"; children?: ReactNode }) {
  const hasContent = children !== undefined && children !== null && children !== false && children !== "";
  return (
    <div
      className={hasContent ? `alert alert-${tone}` : "alert-empty"}
      role={tone === "error" ? "alert" : "status"}
      aria-live={tone === "error" ? "assertive" : "polite"}
      data-testid={tone === "error" ? "form-error" : "form-success"}
    >
      {hasContent ? (
        <>
          {tone === "error" ? <IconAlert className="alert-icon" /> : <IconCheck className="alert-icon" />}
          <div className="alert-body">{children}</div>
        </>
      ) : null}
    </div>
  );
}
