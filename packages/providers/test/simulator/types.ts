// The provider-neutral surface of a simulator, which the conformance suite drives. The DigitalOcean,
// Hetzner and Vultr simulators here implement it; another driver's simulator (AWS) can too, without
// sharing any code with them. No vitest import here: the lead's fault suite and benchmarks import it.

/** Faults a simulator can inject, on top of the real behaviour it models. */
export type FaultKind =
  /** 429 with the provider's own rate-limit headers. */
  | "rate_limit"
  /** A 5xx (500 unless `status` says otherwise) with the provider's error body. */
  | "server_error"
  /** The connection is dropped before the request is handled: nothing took effect. */
  | "network_reset"
  /** The answer comes `delayMs` late (a real timer: pair it with a small driver timeout). */
  | "slow"
  /** The request takes effect, then the answer is lost: the connection drops (or hangs with `hang`). */
  | "lost_response";

/** Operations named the same way for every provider, so faults can target them generically. */
export type SimOperation =
  | "account"
  | "list_regions"
  | "list_sizes"
  | "create_server"
  | "get_server"
  | "list_servers"
  | "delete_server"
  | "reboot_server"
  | "create_firewall"
  | "list_firewalls"
  | "delete_firewall"
  | "create_ssh_key"
  | "list_ssh_keys"
  | "delete_ssh_key"
  | "get_action";

export interface FaultOptions {
  /** Only requests of this operation (default: any request). */
  op?: SimOperation;
  /** Only requests with this method and/or a path matching this (below the API base path). */
  method?: string;
  path?: string | RegExp;
  /** How many matching requests get the fault (default 1; Infinity for all). */
  times?: number;
  /** Chance (0–1) that a matching request gets it; drawn from the simulator's seeded generator. */
  probability?: number;
  /** rate_limit: seconds until a retry is allowed (default 7). */
  retryAfterSeconds?: number;
  /** server_error: the status (default 500). */
  status?: number;
  /** slow: delay in ms (default 1000). */
  delayMs?: number;
  /** lost_response: keep the connection open without answering, instead of dropping it. */
  hang?: boolean;
}

/** One inbound rule as the provider would enforce it. */
export interface SimInboundRule {
  protocol: string;
  /** "22", "8000-9000", or "0"/"all" for every port. */
  ports: string;
  /** CIDR blocks. */
  sources: string[];
}

export interface SimFirewallView {
  /** What the provider lets in; empty = nothing gets in. */
  inbound: SimInboundRule[];
  /** Whether the server may open outbound connections (the agent dials out). */
  outboundAllowed: boolean;
}

export interface SimExchange {
  seq: number;
  method: string;
  /** Path below the API base (e.g. "/v2/droplets" for DigitalOcean, "/servers" for Hetzner). */
  path: string;
  /** The full request path as sent, including the base path. */
  rawPath: string;
  query: Record<string, string[]>;
  /** Request headers (lower-case names), where the simulator records them. */
  requestHeaders?: Record<string, string>;
  body: unknown;
  op: SimOperation | undefined;
  /** The permissions the simulator required for this request (DigitalOcean scopes, "write", Vultr ACLs). */
  perms: readonly string[];
  /** Undefined when no answer was sent (network reset, lost or hanging response). */
  status: number | undefined;
  responseBody: unknown;
  responseHeaders: Record<string, string>;
  fault: FaultKind | undefined;
}

export interface ConformanceSim {
  readonly url: string;
  /** Live servers (not deleted). */
  serverCount(): number;
  serverIds(): string[];
  /** The firewall the provider applies to this server, or undefined when none is applied. */
  firewallOf(serverId: string): SimFirewallView | undefined;
  /** The public keys (OpenSSH lines) the provider put on this server. */
  sshKeysOf(serverId: string): string[];
  /** The user-data the server boots with, decoded as the server sees it. */
  userDataOf(serverId: string): string | undefined;
  firewallCount(): number;
  sshKeyCount(): number;
  /** Every password the simulated provider handed out (root_password, default_password…). */
  issuedSecrets(): string[];
  /** How many regions and sizes the provider offers. */
  catalog(): { regions: number; sizes: number };
  injectFault(kind: FaultKind, opts?: FaultOptions): void;
  clearFaults(): void;
  /** Requests answered or dropped, in order. */
  readonly requests: readonly SimExchange[];
}
