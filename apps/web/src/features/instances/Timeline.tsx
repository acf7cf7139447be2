import { formatDateTime, formatDuration, formatTime } from "../../lib/format";
import type { InstanceEvent } from "./api";
import { eventLabel } from "./progress";

const STATUS_TEXT: Record<InstanceEvent["status"], string> = { start: "Started", ok: "Done", failed: "Failed", info: "Note" };

/** Everything that happened to the instance, oldest first, in a section that opens on demand. */
export function Timeline({ events }: { events: InstanceEvent[] }) {
  const first = events[0] ? Date.parse(events[0].at) : 0;
  return (
    <details className="card timeline">
      <summary className="timeline-summary">
        <span className="timeline-title">Timeline</span>
        <span className="timeline-count">
          {events.length} event{events.length === 1 ? "" : "s"}
        </span>
      </summary>
      {events.length === 0 ? (
        <p className="timeline-empty">Nothing has happened yet.</p>
      ) : (
        <ol className="timeline-list">
          {events.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: events are append-only, oldest first
            <li key={i} className={`timeline-item timeline-${e.status}`}>
              <time className="timeline-time" dateTime={e.at} title={formatDateTime(e.at)}>
                {formatTime(e.at)}
                <span className="timeline-offset">+{formatDuration(Date.parse(e.at) - first)}</span>
              </time>
              <span className="timeline-dot" aria-hidden="true" />
              <div className="timeline-body">
                <p className="timeline-label">
                  {eventLabel(e)}
                  <span className={`timeline-status timeline-status-${e.status}`}>{STATUS_TEXT[e.status]}</span>
                </p>
                {e.message && e.message !== eventLabel(e) ? <p className="timeline-message">{e.message}</p> : null}
              </div>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
