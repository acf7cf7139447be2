import { stateInfo } from "./states";

/** An instance's state as a badge: its name in words, a colour, and a pulsing dot while it is in progress. */
export function StateBadge({ state }: { state: string }) {
  const known = stateInfo(state);
  return (
    <span className={`badge badge-${known.tone}${known.busy ? " badge-live" : ""}`} data-state={state}>
      <span className="badge-dot" aria-hidden="true" />
      {known.label}
    </span>
  );
}
