import { IconTick } from "../../ui/icons";
import type { StepId } from "./draft";

export interface StepperItem {
  id: StepId;
  label: string;
  /** What was chosen there, shown under the label once done. */
  value: string | null;
  state: "done" | "current" | "upcoming" | "skipped";
  /** Can be opened now (done, or the next one to do). */
  reachable: boolean;
}

const HIDDEN_STATE: Record<StepperItem["state"], string> = {
  done: "done",
  current: "current step",
  upcoming: "not yet",
  skipped: "not needed",
};

/** The wizard's steps: each done or reachable one is a button that opens it. */
export function Stepper({ items, onOpen }: { items: StepperItem[]; onOpen: (id: StepId) => void }) {
  const current = items.findIndex((i) => i.state === "current");
  return (
    <nav className="stepper" aria-label="Deploy steps">
      <p className="stepper-count">
        Step {current + 1} of {items.length}
      </p>
      <ol className="stepper-list">
        {items.map((item, index) => (
          <li key={item.id} className={`stepper-item stepper-${item.state}`}>
            <button
              type="button"
              className="stepper-button"
              onClick={() => onOpen(item.id)}
              disabled={!item.reachable || item.state === "skipped"}
              aria-current={item.state === "current" ? "step" : undefined}
            >
              <span className="stepper-index" aria-hidden="true">
                {item.state === "done" ? <IconTick /> : index + 1}
              </span>
              <span className="stepper-text">
                <span className="stepper-label">
                  {item.label}
                  <span className="visually-hidden"> ({HIDDEN_STATE[item.state]})</span>
                </span>
                {item.value ? <span className="stepper-value">{item.value}</span> : null}
              </span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
