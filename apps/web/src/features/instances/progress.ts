// The progress view's model, derived from the instance's timeline (events, oldest first). Pure:
// `now` comes in, so the same instance always gives the same steps.
import { providerName } from "../../lib/providers";
import type { InstanceDetail, InstanceEvent } from "./api";

export type StepStatus = "waiting" | "active" | "done" | "failed" | "stopped" | "skipped";
export type StepId = "create" | "boot" | "install" | "agent" | "ready";

export interface SubStep {
  name: string;
  label: string;
  status: "active" | "done" | "failed";
  message: string | null;
}

export interface ProgressStep {
  id: StepId;
  label: string;
  status: StepStatus;
  /** When it started and ended (ms since the epoch), as far as the timeline tells. */
  startedAt: number | null;
  endedAt: number | null;
  /** One line under the label: what is happening, or what came of it. */
  detail: string | null;
  /** The bootstrap's own steps, reported by the server's agent (install step only). */
  substeps: SubStep[];
}

export interface Progress {
  steps: ProgressStep[];
  /** The step that is running now, or the one that failed. */
  current: ProgressStep | null;
  startedAt: number;
  failedAt: number | null;
  readyAt: number | null;
  /** "Retrying: …" from the worker, while it backs off. */
  retrying: string | null;
}

/** What the bootstrap's steps are called (packages/bootstrap, BOOTSTRAP_STEPS). */
const BOOTSTRAP_LABELS: Record<string, string> = {
  preflight: "Checking the machine",
  ssh: "Locking down SSH",
  packages: "Installing security packages",
  firewall: "Closing all inbound ports",
  swap: "Adding swap",
  node: "Installing Node.js (checksum verified)",
  users: "Creating service users",
  "agent-install": "Installing the Claw Cloud agent (checksum verified)",
  "agent-service": "Starting the agent",
  "openclaw-install": "Installing OpenClaw",
  "openclaw-onboard": "Setting up OpenClaw",
  "openclaw-config": "Configuring the OpenClaw gateway",
  "gateway-service": "Starting OpenClaw",
  "agent-config": "Connecting the agent to OpenClaw",
  done: "Installed",
  bootstrap: "Setup finished",
};

function humanize(name: string): string {
  const words = name.replace(/[-_:]+/g, " ").trim();
  return words ? words[0]?.toUpperCase() + words.slice(1) : name;
}

export function bootstrapLabel(name: string): string {
  return BOOTSTRAP_LABELS[name] ?? humanize(name);
}

/** A timeline entry in words. */
export function eventLabel(e: InstanceEvent): string {
  if (e.step.startsWith("agent:")) {
    const label = bootstrapLabel(e.step.slice(6));
    return e.status === "failed" ? `${label}: failed` : label;
  }
  switch (e.step) {
    case "pending":
      return "Deploy requested";
    case "creating":
      return e.status === "start" ? "Creating the server" : e.status === "ok" ? "Server created" : "Creating the server failed";
    case "booting":
      return e.status === "ok" ? "Server up, agent called back" : "Booting";
    case "agent_registered":
      return "Agent connected";
    case "ready":
      return "Ready";
    case "failed":
      return "Deploy failed";
    case "deleting":
      return "Deleting";
    case "cleanup":
      return "Server of the failed deploy deleted";
    case "credential_deleted":
      return "Cloud account token deleted";
    case "retry":
      return "Deploy retried";
    case "unreachable":
      return "Unreachable";
    case "degraded":
      return "Degraded";
    case "recovered":
      return "Healthy again";
    case "support_granted":
      return "Support access granted";
    case "support_revoked":
      return "Support access revoked";
    case "support_expired":
      return "Support access expired";
    case "support_tunnel":
      return "Support requested an SSH tunnel";
    case "support_login":
      return "Support logged in";
    default:
      return humanize(e.step);
  }
}

/** How long after a step's event an update still belongs to that event's transaction. */
const STALE_MS = 250;

const time = (e: InstanceEvent | undefined): number | null => (e ? Date.parse(e.at) : null);

function find(events: InstanceEvent[], step: string, status?: InstanceEvent["status"]): InstanceEvent | undefined {
  return events.find((e) => e.step === step && (status === undefined || e.status === status));
}

function substepsOf(events: InstanceEvent[]): SubStep[] {
  const byName = new Map<string, SubStep>();
  for (const e of events) {
    if (!e.step.startsWith("agent:")) continue;
    const name = e.step.slice(6);
    if (name === "bootstrap") continue; // the closing marker, not a step of its own
    const status = e.status === "ok" ? "done" : e.status === "failed" ? "failed" : "active";
    if (e.status === "info" && byName.has(name)) continue;
    byName.set(name, { name, label: bootstrapLabel(name), status, message: e.message ?? byName.get(name)?.message ?? null });
  }
  return [...byName.values()];
}

/** The events of the latest attempt: a retried deploy starts over after its "retry" event. */
export function currentAttempt(events: InstanceEvent[]): InstanceEvent[] {
  const retried = events.findLastIndex((e) => e.step === "retry");
  return retried < 0 ? events : events.slice(retried);
}

/** Whether a server the deploy created may still exist: created, and not cleaned up since. */
export function serverLeft(events: InstanceEvent[]): boolean {
  const created = events.findLastIndex((e) => e.step === "creating" && e.status === "ok");
  const cleaned = events.findLastIndex((e) => e.step === "cleanup" && e.status === "ok");
  return created >= 0 && created > cleaned;
}

export function deriveProgress(instance: InstanceDetail): Progress {
  const events = currentAttempt(instance.events);
  const local = instance.provider === "local";
  const provider = providerName(instance.provider);
  const failed = instance.state === "failed";
  const settled = instance.state === "ready" || instance.state === "degraded" || instance.state === "unreachable";

  const requested = time(find(events, "retry")) ?? time(find(events, "pending")) ?? Date.parse(instance.createdAt);
  const createStart = time(find(events, "creating", "start")) ?? requested;
  const createEnd = time(find(events, "creating", "ok"));
  const registered = find(events, "agent_registered", "ok");
  const registeredAt = time(registered) ?? (settled ? Date.parse(instance.updatedAt) : null);
  const bootStart = time(find(events, "booting", "start")) ?? createEnd;
  const bootEnd = time(find(events, "booting", "ok")) ?? registeredAt;
  const agentEvents = events.filter((e) => e.step.startsWith("agent:"));
  const readyAt = time(find(events, "ready", "ok")) ?? (instance.readyAt ? Date.parse(instance.readyAt) : null);
  const installEnd = time(find(events, "agent:bootstrap", "ok")) ?? time(find(events, "agent:done", "ok")) ?? (settled ? readyAt : null);
  const failedEvent = [...events].reverse().find((e) => e.step === "failed");
  const failedAt = failed ? (time(failedEvent) ?? Date.parse(instance.updatedAt)) : null;
  const substeps = substepsOf(agentEvents);
  // The setup script reports from the server while it boots; without reports, it starts once the agent is in.
  const installStart = time(agentEvents[0]) ?? bootEnd;
  const readyStart = registeredAt !== null && installEnd !== null ? Math.max(installEnd, registeredAt) : null;

  const step = (id: StepId, label: string, startedAt: number | null, endedAt: number | null, subs: SubStep[] = []): ProgressStep => ({
    id,
    label,
    status: "waiting",
    startedAt,
    endedAt,
    detail: null,
    substeps: subs,
  });
  const steps: ProgressStep[] = [
    step("create", local ? "Preparing this machine" : "Creating the server", createStart, createEnd),
    step("boot", local ? "Starting the install" : "Booting", bootStart, bootEnd),
    step("install", "Installing OpenClaw", installStart, installEnd, substeps),
    // Registering is a moment, not a phase: no duration of its own.
    step("agent", "Agent connected", null, registeredAt),
    step("ready", "Ready", readyStart, readyAt),
  ];

  // A running assistant went through every step, whatever the timeline kept.
  if (settled) for (const s of steps) s.endedAt ??= readyAt ?? Date.parse(instance.updatedAt);

  // Done where the timeline says so; running where it has started (setup and boot overlap). On a
  // failure, the step that failed is the one with a failed report, or else the last one started.
  const started = (s: ProgressStep) => s.endedAt === null && (s.startedAt !== null || (s.id === "create" && !failed));
  const running = steps.filter(started);
  const culprit = failed
    ? (steps.find((s) => s.id === "install" && s.substeps.some((x) => x.status === "failed") && s.endedAt === null) ??
      running.at(-1) ??
      steps.find((s) => s.endedAt === null) ??
      null)
    : null;
  for (const s of steps) {
    if (s.endedAt !== null) s.status = "done";
    else if (failed) s.status = s === culprit ? "failed" : started(s) ? "stopped" : "skipped";
    else s.status = started(s) ? "active" : "waiting";
  }
  if (culprit && culprit.startedAt === null) culprit.startedAt = failedAt;
  const current = culprit ?? running.at(-1) ?? null;

  // A worker backing off writes "Retrying: …" without an event. The API does not clear it when the
  // step then succeeds (the success's event and update land together, within milliseconds), so it
  // counts only when written clearly after the latest event.
  const lastEventAt = time(events.at(-1)) ?? 0;
  const retrying =
    instance.stateMessage?.startsWith("Retrying:") && Date.parse(instance.updatedAt) - lastEventAt > STALE_MS
      ? instance.stateMessage
      : null;
  for (const s of steps) s.detail = detailFor(s, instance, provider, { registered, local });

  return { steps, current, startedAt: requested, failedAt, readyAt, retrying };
}

function detailFor(
  step: ProgressStep,
  instance: InstanceDetail,
  provider: string,
  ctx: { registered: InstanceEvent | undefined; local: boolean },
): string | null {
  const running = step.status === "active";
  const reports = step.substeps.length > 0;
  switch (step.id) {
    case "create":
      if (step.status === "done")
        return (
          find(currentAttempt(instance.events), "creating", "ok")?.message ??
          (ctx.local ? "Ready to install" : `Created in your ${provider} account`)
        );
      if (running)
        return instance.state === "pending"
          ? "Queued: starting in a moment"
          : ctx.local
            ? "Preparing the install"
            : `Asking ${provider} to create the server`;
      return null;
    case "boot":
      if (step.status === "done") return instance.ipv4 && !ctx.local ? `Running at ${instance.ipv4}` : "The agent called back";
      if (running)
        return reports
          ? "The server is setting itself up; its agent calls back once it is installed"
          : ctx.local
            ? "Waiting for the agent: the install runs on this machine and reports here as it goes"
            : "Waiting for the agent: the server starts and runs its setup script on first boot, reporting here as it goes";
      return null;
    case "install": {
      if (step.status === "done") return "OpenClaw and the Claw Cloud agent are installed";
      const now = [...step.substeps].reverse().find((s) => s.status !== "done");
      if (step.status === "failed" && now?.status === "failed") return `${now.label} failed${now.message ? `: ${now.message}` : ""}`;
      if (!running) return null;
      // The list of the setup's steps shows where it is.
      return step.substeps.length > 0 ? null : "Setting up…";
    }
    case "agent":
      if (step.status === "done") return ctx.registered?.message ?? "The agent on the server is connected";
      return null;
    case "ready":
      if (step.status === "done")
        return find(currentAttempt(instance.events), "ready", "ok")?.message ?? "OpenClaw answered its first health check";
      if (running) return "Waiting for OpenClaw to report healthy";
      return null;
  }
}
