// What route operations may use besides the core: the agent sockets this process holds.
import type { AgentConnections } from "../agent-gateway/connections.ts";

export interface RouteDeps {
  agents: AgentConnections;
}
