import type { InstanceOperation } from "@clawcloud/contracts";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatAgo, formatDateTime } from "../../lib/format";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { IconAlert, IconCheck, IconRefresh, IconRocket } from "../../ui/icons";
import { Spinner } from "../../ui/Spinner";
import { useSession } from "../auth/session";
import type { InstanceDetail } from "../instances/api";
import { usePinInstance, useRollbackInstance, useUpdateInstance } from "./api";
import { ReleaseNotesDialog } from "./ReleaseNotesDialog";
import { isSnoozed, snooze } from "./remind";

const STEPS: Record<string, string> = {
  backup: "Taking a verified backup",
  update: "Running OpenClaw's updater",
  health: "Checking the new version's health",
  rollback_check: "Checking the automatic rollback",
  restore: "Reinstalling the previous version and restoring the backup",
  restore_health: "Checking health after the rollback",
};

const OUTCOME: Record<Exclude<InstanceOperation["status"], "running">, { tone: string; title: (o: InstanceOperation) => string }> = {
  succeeded: { tone: "success", title: (o) => (o.kind === "update" ? `Updated to ${o.toVersion}` : `Rolled back to ${o.toVersion}`) },
  rolled_back: { tone: "warning", title: (o) => `The update to ${o.toVersion} failed and was rolled back to ${o.fromVersion}` },
  failed: { tone: "danger", title: (o) => (o.kind === "update" ? `The update to ${o.toVersion} failed` : "The rollback failed") },
};

/** Update offer, live steps of a running update or rollback, its outcome, rollback and pin. */
export function UpdatePanel({ instance, now }: { instance: InstanceDetail; now: number }) {
  const me = useSession();
  const update = useUpdateInstance(instance.id);
  const rollback = useRollbackInstance(instance.id);
  const pin = usePinInstance(instance.id);
  const [notesOpen, setNotesOpen] = useState(false);
  const [confirmRollback, setConfirmRollback] = useState(false);
  const [snoozedNow, setSnoozedNow] = useState(false);
  const current = instance.runningOpenclawVersion ?? instance.openclawVersion;
  const latest = instance.latestVersion ?? null;
  const op = instance.operation ?? null;
  const running = op?.status === "running";
  const offered = !!latest && !!instance.updateAvailable && !running && !snoozedNow && !isSnoozed(me.user.id, instance.id, latest, now);
  const error = update.error ?? rollback.error ?? pin.error;

  return (
    <section className="card update-panel" aria-labelledby="updates-title">
      <h2 id="updates-title" className="update-title">
        Updates
      </h2>
      {offered && latest ? (
        <div className="update-banner" data-testid="update-banner">
          <IconRocket aria-hidden="true" />
          <p className="update-banner-text">
            Update available: <strong>{current}</strong> → <strong>{latest}</strong>
          </p>
          <div className="update-actions">
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => setNotesOpen(true)}>
              View changes
            </button>
            <button
              type="button"
              className="btn btn-primary btn-sm"
              disabled={update.isPending}
              aria-busy={update.isPending || undefined}
              onClick={() => update.mutate(latest)}
            >
              {update.isPending ? <Spinner /> : null} Update now
            </button>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() => {
                snooze(me.user.id, instance.id, latest);
                setSnoozedNow(true);
              }}
            >
              Remind me later
            </button>
          </div>
        </div>
      ) : null}
      {op ? <OperationView op={op} now={now} /> : null}
      {!offered && !op ? (
        <p className="update-quiet">
          {instance.pinnedVersion
            ? `Pinned to OpenClaw ${instance.pinnedVersion}: no updates are offered and rollouts skip it.`
            : latest
              ? `OpenClaw ${current ?? "—"} is the newest version.`
              : "The newest OpenClaw version is not known yet."}
        </p>
      ) : null}
      {instance.latestVersionFetchedAt ? (
        <p className="update-meta">
          Newest version checked{" "}
          <time dateTime={instance.latestVersionFetchedAt} title={formatDateTime(instance.latestVersionFetchedAt)}>
            {formatAgo(instance.latestVersionFetchedAt, now)}
          </time>
          .
        </p>
      ) : null}
      <div className="update-controls">
        {instance.rollbackVersion ? (
          <button type="button" className="btn btn-secondary btn-sm" disabled={running} onClick={() => setConfirmRollback(true)}>
            <IconRefresh /> Roll back to {instance.rollbackVersion}
          </button>
        ) : null}
        {current ? (
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            disabled={pin.isPending}
            aria-pressed={!!instance.pinnedVersion}
            onClick={() => pin.mutate(instance.pinnedVersion ? null : current)}
          >
            {instance.pinnedVersion ? `Unpin ${instance.pinnedVersion}` : `Pin to ${current}`}
          </button>
        ) : null}
      </div>
      <p className="update-error" role="alert">
        {error ? errorMessage(error) : null}
      </p>
      {latest ? <ReleaseNotesDialog version={latest} open={notesOpen} onClose={() => setNotesOpen(false)} /> : null}
      <ConfirmDialog
        open={confirmRollback}
        tone="primary"
        title={`Roll back to OpenClaw ${instance.rollbackVersion ?? ""}?`}
        confirmLabel="Roll back"
        pendingLabel="Starting…"
        pending={rollback.isPending}
        error={rollback.isError ? errorMessage(rollback.error) : null}
        onClose={() => setConfirmRollback(false)}
        onConfirm={() =>
          rollback.mutateAsync(undefined).then(
            () => setConfirmRollback(false),
            () => undefined,
          )
        }
      >
        <p>
          The previous version is reinstalled and the backup taken before the last update is restored.{" "}
          <strong>Conversations since that update are lost</strong> (the backup is from before it).
        </p>
      </ConfirmDialog>
    </section>
  );
}

function OperationView({ op, now }: { op: InstanceOperation; now: number }) {
  if (op.status === "running") {
    return (
      <div className="update-running" aria-live="polite" data-testid="update-running">
        <Spinner />
        <p>
          {op.kind === "update" ? `Updating ${op.fromVersion} → ${op.toVersion}` : `Rolling back to ${op.toVersion}`}:{" "}
          <strong>{STEPS[op.step] ?? op.step}</strong>…
        </p>
      </div>
    );
  }
  const o = OUTCOME[op.status];
  return (
    <div className={`update-outcome update-outcome-${o.tone}`} data-testid="update-outcome">
      {op.status === "succeeded" ? <IconCheck aria-hidden="true" /> : <IconAlert aria-hidden="true" />}
      <div>
        <p className="update-outcome-title">{o.title(op)}</p>
        {op.message ? <p className="update-outcome-message">{op.message}</p> : null}
        {op.finishedAt ? (
          <p className="update-meta">
            <time dateTime={op.finishedAt} title={formatDateTime(op.finishedAt)}>
              {formatAgo(op.finishedAt, now)}
            </time>
          </p>
        ) : null}
      </div>
    </div>
  );
}
