// How services reach an instance's agent: a command over its WebSocket, answered by a result
// frame. The server process that holds the sockets implements it (apps/server agent-gateway);
// a process without sockets (worker-only) has none, and update jobs then wait and retry.
export interface AgentChannel {
  call(instanceId: string, command: { id: string; name: string; args: Record<string, unknown> }, timeoutMs: number): Promise<unknown>;
}

export class AgentCommandError extends Error {
  override name = "AgentCommandError";
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Transient: the agent was away or slow; the same command id is sent again later. */
export const isTransient = (err: unknown) => err instanceof AgentCommandError && (err.code === "AGENT_OFFLINE" || err.code === "TIMEOUT");

export const noAgentChannel: AgentChannel = {
  call: async () => {
    throw new AgentCommandError("AGENT_OFFLINE", "This process holds no agent connections.");
  },
};
