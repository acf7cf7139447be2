import { type InputHTMLAttributes, type ReactNode, useId, useState } from "react";

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "onChange"> {
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | undefined;
  /** Renders a Show/Hide toggle (for password inputs). */
  revealable?: boolean;
  labelAside?: ReactNode;
}

/** A labelled input with an optional hint and an inline error, wired up with aria-describedby. */
export function Field({
  label,
  value,
  onValueChange,
  hint,
  error,
  revealable = false,
  labelAside,
  type = "text",
  className,
  ...inputProps
}: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const [revealed, setRevealed] = useState(false);
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;

  return (
    <div className={`field${error ? " field-invalid" : ""}${className ? ` ${className}` : ""}`}>
      <div className="field-label-row">
        <label htmlFor={id} className="field-label">
          {label}
        </label>
        {labelAside}
      </div>
      <div className={revealable ? "field-control field-control-reveal" : "field-control"}>
        <input
          {...inputProps}
          id={id}
          type={revealable && revealed ? "text" : type}
          value={value}
          onChange={(event) => onValueChange(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className="input"
        />
        {revealable ? (
          <button type="button" className="field-reveal" aria-pressed={revealed} aria-controls={id} onClick={() => setRevealed((r) => !r)}>
            {revealed ? "Hide" : "Show"}
            <span className="visually-hidden"> {label.toLowerCase()}</span>
          </button>
        ) : null}
      </div>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
