import type { Rollout } from "@clawcloud/contracts";
import { type FormEvent, useState } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { Field } from "../../ui/Field";
import { IconRocket, IconShield } from "../../ui/icons";
import { PageHeader } from "../../ui/PageHeader";
import { Spinner } from "../../ui/Spinner";
import { EmptyState, ErrorState, LoadingList } from "../../ui/States";
import { useRolloutAction, useRollouts } from "./api";

const STATUS: Record<Rollout["status"], string> = { running: "Running", paused: "Paused", halted: "Halted", completed: "Completed" };

/** Staff only (the API answers 404 to everyone else): fleet rollouts, their rings and controls. */
export default function RolloutsPage() {
  useDocumentTitle("Fleet rollouts");
  const rollouts = useRollouts();
  const action = useRolloutAction();
  const [version, setVersion] = useState("");
  const [bakeMinutes, setBakeMinutes] = useState("60");

  if (rollouts.error instanceof ApiError && rollouts.error.status === 404) {
    return (
      <>
        <PageHeader title="Fleet rollouts" />
        <EmptyState illustration={<IconShield aria-hidden="true" />} title="This page is for Claw Cloud's operators">
          <p>Your account is not a staff account.</p>
        </EmptyState>
      </>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    action.mutate({ kind: "create", targetVersion: version.trim(), bakeSeconds: Math.max(0, Math.round(Number(bakeMinutes) * 60) || 0) });
  };

  return (
    <>
      <PageHeader
        title="Fleet rollouts"
        description="A version goes out in rings — 1 %, 10 %, then 100 % of eligible instances — and halts on failures."
      />
      <form className="card rollouts-form" onSubmit={submit} aria-label="Start a rollout">
        <Field label="Target version" value={version} onValueChange={setVersion} placeholder="2026.9.6" required />
        <Field label="Bake time (minutes)" value={bakeMinutes} onValueChange={setBakeMinutes} inputMode="numeric" />
        <button type="submit" className="btn btn-primary" disabled={action.isPending || !version.trim()}>
          {action.isPending ? <Spinner /> : null} Start rollout
        </button>
      </form>
      <p className="update-error" role="alert">
        {action.isError ? errorMessage(action.error) : null}
      </p>
      {rollouts.isPending ? (
        <LoadingList label="Loading rollouts…" rows={2} />
      ) : rollouts.isError ? (
        <ErrorState title="We couldn't load the rollouts" error={rollouts.error} onRetry={() => void rollouts.refetch()} />
      ) : rollouts.data.length === 0 ? (
        <EmptyState illustration={<IconRocket aria-hidden="true" />} title="No rollouts yet">
          <p>Start one above: pinned instances and those already on the version are skipped.</p>
        </EmptyState>
      ) : (
        rollouts.data.map((r) => (
          <section key={r.id} className="card rollout" aria-labelledby={`${r.id}-title`}>
            <div className="rollout-head">
              <h2 id={`${r.id}-title`} className="update-title">
                OpenClaw {r.targetVersion} · {STATUS[r.status]}
              </h2>
              <div className="update-controls">
                {r.status === "running" ? (
                  <button type="button" className="btn btn-secondary btn-sm" onClick={() => action.mutate({ kind: "pause", id: r.id })}>
                    Pause
                  </button>
                ) : null}
                {r.status === "paused" || r.status === "halted" ? (
                  <button type="button" className="btn btn-secondary btn-sm" onClick={() => action.mutate({ kind: "resume", id: r.id })}>
                    Resume
                  </button>
                ) : null}
              </div>
            </div>
            {r.message ? <p className="update-outcome-message">{r.message}</p> : null}
            <ol className="rollout-rings">
              {r.progress.map((p) => (
                <li
                  key={p.ring}
                  className={`rollout-ring${p.ring === r.currentRing && r.status !== "completed" ? " rollout-ring-current" : ""}`}
                >
                  <span>
                    Ring {p.ring + 1} ({p.percent} %)
                  </span>
                  <span>{p.targets} instances</span>
                  <span>{p.succeeded} updated</span>
                  <span>{p.running} running</span>
                  <span>{p.failed + p.rolledBack} failed or rolled back</span>
                </li>
              ))}
            </ol>
            <p className="update-meta">Started {formatDateTime(r.createdAt)}</p>
          </section>
        ))
      )}
    </>
  );
}
