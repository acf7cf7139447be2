// The bootstrap's steps, in order, as the scripts announce them on stdout (the console):
//   clawcloud-step: <name> start
//   clawcloud-step: <name> ok[ <note>]
//   clawcloud-step: <name> failed <reason>
// and as JSON lines in the progress file the agent forwards as agent/v1 events:
//   {"name":"<name>","status":"start|ok|failed","message":"…"}
// followed, at the end, by {"name":"bootstrap","status":"ok"} or
// {"name":"bootstrap","status":"failed","message":"<step>: <reason>"}.

export type BootstrapTarget = "cloud" | "local";

export interface BootstrapStep {
  readonly name: string;
  /** What the provisioning UI shows while the step runs. */
  readonly label: string;
  readonly targets: readonly BootstrapTarget[];
}

const both = ["cloud", "local"] as const;
const cloud = ["cloud"] as const;

export const BOOTSTRAP_STEPS = [
  { name: "preflight", label: "Checking the machine", targets: both },
  { name: "ssh", label: "Locking down SSH", targets: cloud },
  { name: "packages", label: "Installing security packages", targets: cloud },
  { name: "firewall", label: "Closing all inbound ports", targets: cloud },
  { name: "swap", label: "Adding swap", targets: cloud },
  { name: "node", label: "Installing Node.js (checksum verified)", targets: cloud },
  { name: "users", label: "Creating service users", targets: cloud },
  { name: "agent-install", label: "Installing the Claw Cloud agent (checksum verified)", targets: both },
  { name: "agent-service", label: "Starting the agent", targets: cloud },
  { name: "openclaw-install", label: "Installing OpenClaw", targets: both },
  { name: "openclaw-onboard", label: "Setting up OpenClaw", targets: both },
  { name: "openclaw-config", label: "Configuring the OpenClaw gateway", targets: both },
  { name: "gateway-service", label: "Starting OpenClaw", targets: cloud },
  { name: "agent-config", label: "Connecting the agent to OpenClaw", targets: both },
  { name: "done", label: "Installed", targets: both },
] as const satisfies readonly BootstrapStep[];

export type BootstrapStepName = (typeof BOOTSTRAP_STEPS)[number]["name"];

/** The steps one target runs, in order. */
export function bootstrapSteps(target: BootstrapTarget): BootstrapStep[] {
  return BOOTSTRAP_STEPS.filter((s) => (s.targets as readonly BootstrapTarget[]).includes(target));
}

export interface StepEvent {
  step: string;
  status: "start" | "ok" | "failed";
  /** The note after "ok", or the reason after "failed". */
  message: string;
}

const STEP_LINE_RE = /^(?:\S+ )?clawcloud-step: ([a-z][a-z0-9-]*) (start|ok|failed)(?: (.*))?$/;

/**
 * Parse one output line of a bootstrap script (stdout, the console, or the log file, whose lines
 * carry a timestamp first). Anything else gives null.
 */
export function parseStepLine(line: string): StepEvent | null {
  const m = STEP_LINE_RE.exec(line.trimEnd());
  if (!m?.[1] || !m[2]) return null;
  return { step: m[1], status: m[2] as StepEvent["status"], message: m[3] ?? "" };
}
