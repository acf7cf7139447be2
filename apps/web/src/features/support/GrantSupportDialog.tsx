import { SUPPORT_MAX_HOURS } from "@clawcloud/contracts";
import { useId, useState } from "react";
import { errorMessage } from "../../lib/api";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { useGrantSupport } from "./api";

/** "Grant support access": how long (1–24 h) and why, said plainly before anything happens. */
export function GrantSupportDialog({ instanceId, open, onClose }: { instanceId: string; open: boolean; onClose: () => void }) {
  const grant = useGrantSupport(instanceId);
  const [hours, setHours] = useState("2");
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const hoursId = useId();
  const reasonId = useId();
  const n = Number(hours);
  const hoursError = Number.isInteger(n) && n >= 1 && n <= SUPPORT_MAX_HOURS ? undefined : `Choose 1 to ${SUPPORT_MAX_HOURS} hours`;
  const reasonError = reason.trim() ? undefined : "Say what support should look at";

  function close() {
    grant.reset();
    setTouched(false);
    onClose();
  }

  return (
    <ConfirmDialog
      open={open}
      title="Grant support access"
      tone="primary"
      confirmLabel="Grant access"
      pendingLabel="Granting…"
      pending={grant.isPending}
      error={grant.isError ? errorMessage(grant.error) : null}
      onClose={close}
      onConfirm={() => {
        setTouched(true);
        if (hoursError || reasonError) return;
        grant.mutateAsync({ hours: n, reason: reason.trim() }).then(
          () => {
            setReason("");
            close();
          },
          () => undefined, // shown in the dialog
        );
      }}
    >
      <p>
        Claw Cloud's support team can then log in to this server over SSH — only through your server's own connection to Claw Cloud, never
        through an open port. Access ends by itself when the time is up, even if your server cannot reach Claw Cloud, and you can revoke it
        at any moment.
      </p>
      <div className={`field${touched && hoursError ? " field-invalid" : ""}`}>
        <label htmlFor={hoursId} className="field-label">
          Duration (hours)
        </label>
        <input
          id={hoursId}
          className="input support-hours"
          type="number"
          inputMode="numeric"
          min={1}
          max={SUPPORT_MAX_HOURS}
          step={1}
          value={hours}
          onChange={(e) => setHours(e.target.value)}
          aria-invalid={touched && hoursError ? true : undefined}
          aria-describedby={`${hoursId}-hint${touched && hoursError ? ` ${hoursId}-error` : ""}`}
        />
        <span id={`${hoursId}-hint`} className="field-hint">
          1 to {SUPPORT_MAX_HOURS} hours.
        </span>
        {touched && hoursError ? (
          <span id={`${hoursId}-error`} className="field-error">
            {hoursError}
          </span>
        ) : null}
      </div>
      <div className={`field${touched && reasonError ? " field-invalid" : ""}`}>
        <label htmlFor={reasonId} className="field-label">
          Reason
        </label>
        <textarea
          id={reasonId}
          className="input support-reason"
          rows={3}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={touched && reasonError ? true : undefined}
          aria-describedby={touched && reasonError ? `${reasonId}-error` : undefined}
        />
        {touched && reasonError ? (
          <span id={`${reasonId}-error`} className="field-error">
            {reasonError}
          </span>
        ) : null}
      </div>
    </ConfirmDialog>
  );
}
