import { useId, useRef, useState } from "react";
import { IconCheck } from "../../ui/icons";
import type { ProviderGuide } from "./api";

/** The guide's notes, one point per line. */
function notesOf(guide: ProviderGuide): string[] {
  const notes: unknown = guide.notes;
  const lines = typeof notes === "string" ? notes.split("\n") : Array.isArray(notes) ? notes : [];
  return lines.filter((n): n is string => typeof n === "string" && n.trim() !== "").map((n) => n.trim());
}

/** Only links to the provider's own site over https are rendered as links. */
function safeHttpsUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

async function copyText(text: string, fallbackNode: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard access (an insecure origin, a denied permission): select it for Ctrl+C instead.
    if (fallbackNode) {
      const range = document.createRange();
      range.selectNodeContents(fallbackNode);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
    return false;
  }
}

/**
 * Where to create the credential and exactly which permissions to give it, as the server
 * describes them for this provider.
 */
export function ProviderGuidePanel({ guide, headingId }: { guide: ProviderGuide; headingId: string }) {
  const listRef = useRef<HTMLUListElement>(null);
  const [copyStatus, setCopyStatus] = useState<string>("");
  const listId = useId();
  const url = safeHttpsUrl(guide.tokenUrl);
  const noun = guide.secretKind === "token" ? "an API token" : "access for Claw Cloud";
  const place = { token: "token page", aws: "IAM console", azure: "app registrations", gcp: "service accounts page" }[guide.secretKind];
  const notes = notesOf(guide);

  async function onCopy() {
    const ok = await copyText(guide.permissions.join("\n"), listRef.current);
    setCopyStatus(ok ? "Permissions copied." : "Selected: press Ctrl+C (⌘C on a Mac) to copy.");
    window.setTimeout(() => setCopyStatus(""), 4000);
  }

  return (
    <section className="guide" aria-labelledby={headingId}>
      <h2 id={headingId} className="form-step-title">
        <span className="form-step-number" aria-hidden="true">
          2
        </span>
        Create {noun} in {guide.name}
      </h2>
      <ol className="guide-steps">
        <li>
          <span className="guide-step-text">
            Open{" "}
            {url ? (
              <a href={url} target="_blank" rel="noopener noreferrer" className="guide-link">
                {guide.name}’s {place}
                <span className="visually-hidden"> (opens in a new tab)</span>
                <span aria-hidden="true"> ↗</span>
              </a>
            ) : (
              <span className="guide-link">{guide.tokenUrl}</span>
            )}{" "}
            and sign in to the account you want your assistant to run in.
          </span>
        </li>
        {guide.permissions.length > 0 ? (
          <li>
            <div className="guide-step-text">
              <div className="guide-permissions-head">
                <span id={`${listId}-label`}>Grant exactly these permissions, and nothing more:</span>
                <button
                  type="button"
                  className="btn btn-secondary btn-sm"
                  onClick={() => void onCopy()}
                  aria-describedby={`${listId}-label`}
                >
                  Copy list
                </button>
              </div>
              <ul className="permission-list" ref={listRef} aria-labelledby={`${listId}-label`}>
                {guide.permissions.map((p) => (
                  <li key={p} className="permission">
                    <IconCheck className="permission-icon" />
                    <code>{p}</code>
                  </li>
                ))}
              </ul>
              <p className="copy-status" role="status" aria-live="polite">
                {copyStatus}
              </p>
            </div>
          </li>
        ) : null}
        <li>
          <span className="guide-step-text">
            Copy the {guide.secretKind === "token" ? "token" : "details"} and paste {guide.secretKind === "token" ? "it" : "them"} here.
            Claw Cloud checks it with {guide.name} before saving it.
          </span>
        </li>
      </ol>
      {notes.length > 0 ? (
        <div className="guide-notes">
          <h3 className="guide-notes-title">Good to know</h3>
          {notes.length === 1 ? (
            <p>{notes[0]}</p>
          ) : (
            <ul>
              {notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </section>
  );
}
