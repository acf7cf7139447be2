import type { InstanceState } from "@clawcloud/contracts";

type Tone = "neutral" | "progress" | "success" | "danger" | "warning";

export const STATES: Record<InstanceState, { label: string; tone: Tone; busy: boolean; announce: string }> = {
  pending: { label: "Queued", tone: "progress", busy: true, announce: "Deploy queued." },
  creating: { label: "Creating server", tone: "progress", busy: true, announce: "Creating the server." },
  booting: { label: "Booting", tone: "progress", busy: true, announce: "The server is booting." },
  bootstrapping: { label: "Installing", tone: "progress", busy: true, announce: "Installing OpenClaw." },
  ready: { label: "Ready", tone: "success", busy: false, announce: "Your assistant is ready." },
  degraded: { label: "Degraded", tone: "warning", busy: false, announce: "Your assistant is degraded." },
  unreachable: { label: "Unreachable", tone: "warning", busy: false, announce: "Your assistant is unreachable." },
  failed: { label: "Failed", tone: "danger", busy: false, announce: "The deploy failed." },
  deleting: { label: "Deleting", tone: "neutral", busy: true, announce: "Deleting." },
  deleted: { label: "Deleted", tone: "neutral", busy: false, announce: "Deleted." },
};

export function stateInfo(state: string) {
  return STATES[state as InstanceState] ?? { label: state, tone: "neutral" as Tone, busy: false, announce: state };
}

/** Still moving on its own: provisioning or deleting. */
export function isBusy(state: string): boolean {
  return stateInfo(state).busy;
}

/** Provisioning (not deleting): the progress view shows. */
export function isDeploying(state: string): boolean {
  return state === "pending" || state === "creating" || state === "booting" || state === "bootstrapping";
}
