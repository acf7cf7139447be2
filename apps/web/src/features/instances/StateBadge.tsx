const STATES: Record<string, { label: string; tone: "neutral" | "progress" | "success" | "danger" | "warning" }> = {
  pending: { label: "Queued", tone: "progress" },
  creating: { label: "Creating server", tone: "progress" },
  booting: { label: "Booting", tone: "progress" },
  bootstrapping: { label: "Installing", tone: "progress" },
  ready: { label: "Ready", tone: "success" },
  degraded: { label: "Degraded", tone: "warning" },
  failed: { label: "Failed", tone: "danger" },
  unreachable: { label: "Unreachable", tone: "warning" },
  deleting: { label: "Deleting", tone: "neutral" },
  deleted: { label: "Deleted", tone: "neutral" },
};

export function StateBadge({ state }: { state: string }) {
  const known = STATES[state] ?? { label: state, tone: "neutral" as const };
  return (
    <span className={`badge badge-${known.tone}`}>
      <span className="badge-dot" aria-hidden="true" />
      {known.label}
    </span>
  );
}
