import { type ReactNode, useEffect, useId, useRef } from "react";
import { FormAlert } from "./FormAlert";
import { Spinner } from "./Spinner";

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  /** A message shown in the dialog when the action failed. */
  error?: string | null | undefined;
  tone?: "danger" | "primary";
  onConfirm: () => void;
  onClose: () => void;
  /** Where focus goes on close when the element that opened the dialog is gone. */
  fallbackFocus?: () => HTMLElement | null;
}

/**
 * A modal confirmation built on <dialog>: the browser traps focus, makes the page inert and
 * closes on Escape. Focus starts on Cancel (the safe choice) and returns to the opener.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  pendingLabel,
  pending,
  error,
  tone = "danger",
  onConfirm,
  onClose,
  fallbackFocus,
}: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  const bodyId = useId();
  const fallback = useRef(fallbackFocus);
  fallback.current = fallbackFocus;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
      cancelRef.current?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  // Focus back where it came from, or somewhere sensible when that is gone (a deleted row).
  useEffect(() => {
    if (open) return;
    const from = opener.current;
    if (!from) return;
    opener.current = null;
    if (from instanceof HTMLElement && from.isConnected) from.focus();
    else fallback.current?.()?.focus();
  }, [open]);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the click is on the backdrop only; keyboards close with Escape (onCancel)
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        event.preventDefault();
        if (!pending) onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> itself.
        if (event.target === event.currentTarget && !pending) onClose();
      }}
    >
      {open ? (
        <div className="dialog-content">
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          <div id={bodyId} className="dialog-body">
            {children}
          </div>
          <FormAlert>{error || null}</FormAlert>
          <div className="dialog-actions">
            <button type="button" className="btn btn-secondary" ref={cancelRef} onClick={onClose} disabled={pending}>
              Cancel
            </button>
            <button type="button" className={`btn btn-${tone}`} onClick={onConfirm} disabled={pending} aria-busy={pending || undefined}>
              {pending ? <Spinner /> : null}
              <span>{pending ? pendingLabel : confirmLabel}</span>
            </button>
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
