import { useEffect, useState } from "react";
import { IconCheck } from "./icons";

/** Copies text to the clipboard and says so for two seconds (to screen readers too). */
export function CopyButton({
  text,
  label = "Copy",
  className = "btn btn-secondary btn-sm",
}: {
  text: string;
  label?: string;
  className?: string;
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      className={className}
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => setState("copied"),
          () => setState("failed"),
        );
      }}
    >
      {state === "copied" ? <IconCheck /> : null}
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed — select and copy" : label}</span>
    </button>
  );
}
