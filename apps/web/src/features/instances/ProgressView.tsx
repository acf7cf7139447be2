import { formatDuration, formatTime } from "../../lib/format";
import { IconAlert, IconCross, IconTick } from "../../ui/icons";
import { Spinner } from "../../ui/Spinner";
import type { Progress, ProgressStep, SubStep } from "./progress";
import type { Connection } from "./useLiveInstance";

function Marker({ status }: { status: ProgressStep["status"] | SubStep["status"] }) {
  return (
    <span className={`progress-marker progress-marker-${status}`} aria-hidden="true">
      {status === "done" ? <IconTick /> : status === "failed" ? <IconCross /> : status === "active" ? <Spinner /> : null}
    </span>
  );
}

function StepTime({ step, now, failedAt }: { step: ProgressStep; now: number; failedAt: number | null }) {
  const { startedAt, endedAt } = step;
  switch (step.status) {
    case "done":
      return (
        <span className="progress-status">
          Done
          {startedAt !== null && endedAt !== null ? <span className="progress-time"> · {formatDuration(endedAt - startedAt)}</span> : null}
        </span>
      );
    case "active":
      return (
        <span className="progress-status progress-status-active">
          In progress{startedAt !== null ? <span className="progress-time"> · {formatDuration(now - startedAt)}</span> : null}
        </span>
      );
    case "failed":
      return (
        <span className="progress-status progress-status-failed">
          Failed
          {startedAt !== null && failedAt !== null ? (
            <span className="progress-time"> after {formatDuration(Math.max(0, failedAt - startedAt))}</span>
          ) : null}
        </span>
      );
    case "stopped":
      return <span className="progress-status">Stopped</span>;
    case "skipped":
      return <span className="progress-status">Not reached</span>;
    default:
      return <span className="progress-status">Waiting</span>;
  }
}

function SubSteps({ substeps }: { substeps: SubStep[] }) {
  return (
    <ul className="substeps" aria-label="Setup on the server">
      {substeps.map((s) => (
        <li key={s.name} className={`substep substep-${s.status}`}>
          <Marker status={s.status} />
          <span className="substep-label">{s.label}</span>
          <span className="visually-hidden">{s.status === "done" ? ": done" : s.status === "failed" ? ": failed" : ": in progress"}</span>
          {s.status === "failed" && s.message ? <span className="substep-message">{s.message}</span> : null}
        </li>
      ))}
    </ul>
  );
}

export function ConnectionPill({ connection }: { connection: Connection }) {
  if (connection === "idle") return null;
  const text = connection === "live" ? "Live" : connection === "connecting" ? "Connecting…" : "Connection lost, retrying…";
  return (
    <span className={`connection connection-${connection}`}>
      {connection === "lost" ? <IconAlert className="connection-icon" /> : <span className="connection-dot" aria-hidden="true" />}
      {text}
    </span>
  );
}

/** Each step of the deploy with its state and how long it took (a ticking timer on the current one). */
export function ProgressView({
  progress,
  now,
  connection,
  failed,
}: {
  progress: Progress;
  now: number;
  connection: Connection;
  failed: boolean;
}) {
  const total = (failed ? (progress.failedAt ?? now) : now) - progress.startedAt;
  return (
    <section className="card progress-card" aria-labelledby="progress-title" data-testid="deploy-progress">
      <div className="progress-head">
        <div>
          <h2 id="progress-title" className="progress-title" tabIndex={-1}>
            {failed ? "Where the deploy stopped" : "Deploying your assistant"}
          </h2>
          <p className="progress-sub">
            {failed ? (
              <>Stopped after {formatDuration(total)}.</>
            ) : (
              <>
                Started at {formatTime(new Date(progress.startedAt).toISOString())}
                <span className="progress-time"> · {formatDuration(total)} so far</span>. This usually takes 3–6 minutes; you can leave this
                page, the deploy carries on.
              </>
            )}
          </p>
        </div>
        {failed ? null : <ConnectionPill connection={connection} />}
      </div>
      <ol className="progress-steps">
        {progress.steps.map((step) => (
          <li
            key={step.id}
            className={`progress-step progress-step-${step.status}`}
            aria-current={step.status === "active" ? "step" : undefined}
            data-step={step.id}
            data-status={step.status}
          >
            <Marker status={step.status} />
            <div className="progress-body">
              <div className="progress-row">
                <span className="progress-label">{step.label}</span>
                <StepTime step={step} now={now} failedAt={progress.failedAt} />
              </div>
              {step.detail ? <p className="progress-detail">{step.detail}</p> : null}
              {step.status === "active" && progress.retrying ? (
                <p className="progress-retry">
                  <IconAlert className="progress-retry-icon" />
                  <span>{progress.retrying}</span>
                </p>
              ) : null}
              {step.substeps.length > 0 && step.status !== "done" ? <SubSteps substeps={step.substeps} /> : null}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
