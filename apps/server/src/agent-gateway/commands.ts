// Commands the server sends an agent without waiting on them: the agent's result is logged when it
// reports a failure (state such as support access is re-sent on every connect anyway).
import type { Logger } from "@clawcloud/core";
import type { Link } from "./agent-link.ts";

const FIRE_AND_FORGET_TIMEOUT_MS = 60_000;

export function sendCommand(link: Link, name: string, args: Record<string, unknown>, log?: Logger): void {
  link.call(name, args, FIRE_AND_FORGET_TIMEOUT_MS).catch((err: unknown) => {
    log?.warn({ instanceId: link.instanceId, command: name, code: (err as { code?: string }).code }, "agent command failed");
  });
}
