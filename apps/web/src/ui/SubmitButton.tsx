import type { ReactNode } from "react";
import { Spinner } from "./Spinner";

interface SubmitButtonProps {
  pending: boolean;
  pendingLabel: string;
  children: ReactNode;
  variant?: "primary" | "secondary";
  block?: boolean;
  disabled?: boolean;
}

/** A submit button that shows progress and tells assistive tech about it. */
export function SubmitButton({ pending, pendingLabel, children, variant = "primary", block, disabled }: SubmitButtonProps) {
  return (
    <button
      type="submit"
      className={`btn btn-${variant}${block ? " btn-block" : ""}`}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
    >
      {pending ? <Spinner /> : null}
      <span>{pending ? pendingLabel : children}</span>
    </button>
  );
}
