import { useEffect, useId, useRef } from "react";
import { errorMessage } from "../../lib/api";
import { Spinner } from "../../ui/Spinner";
import { useReleaseNotes } from "./api";

/** "View changes": the version's section of OpenClaw's changelog, as plain text in a modal <dialog>. */
export function ReleaseNotesDialog({ version, open, onClose }: { version: string; open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const notes = useReleaseNotes(version, open);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      closeRef.current?.focus();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="dialog release-notes-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-content">
        <h2 id={titleId} className="dialog-title">
          What's new in OpenClaw {version}
        </h2>
        <div className="dialog-body release-notes-body" aria-busy={notes.isPending || undefined}>
          {notes.isPending ? (
            <p>
              <Spinner /> Loading the release notes…
            </p>
          ) : notes.isError ? (
            <p role="alert">{errorMessage(notes.error)}</p>
          ) : notes.data?.notes ? (
            // Plain text on purpose: the changelog is third-party Markdown, never rendered as HTML.
            <pre className="release-notes-text">{notes.data.notes}</pre>
          ) : (
            <p>No release notes are available for this version.</p>
          )}
        </div>
        <div className="dialog-actions">
          <button ref={closeRef} type="button" className="btn btn-secondary" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </dialog>
  );
}
