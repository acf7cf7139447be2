import type { ReactNode, Ref } from "react";
import { IconAlert, IconCheck } from "./icons";

/**
 * A live region that is always in the DOM so screen readers announce the message when it appears.
 * `tone="error"` is assertive, `tone="success"` polite. With a `ref`, it can take focus (to move
 * a person to the problem after a failed submit).
 */
export function FormAlert({
  tone = "error",
  children,
  ref,
}: {
  tone?: "error" | "success";
  children?: ReactNode;
  ref?: Ref<HTMLDivElement>;
}) {
  const hasContent = children !== undefined && children !== null && children !== false && children !== "";
  return (
    <div
      ref={ref}
      tabIndex={ref && hasContent ? -1 : undefined}
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
