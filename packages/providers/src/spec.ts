// ComputeProviderV1: the one interface every cloud driver implements. A driver is given the
// user's credentials (and, for tests or compatible clouds, an API base URL and a fetch), speaks
// its provider's API, and knows nothing of our database. Versioned: a breaking change is V2.

export type ProviderId = "digitalocean" | "hetzner" | "vultr" | "aws" | "azure" | "gcp";

export interface DriverOptions<C> {
  credentials: C;
  /** Overrides the provider's API endpoint (tests, compatible clouds). */
  baseUrl?: string;
  /** Injectable fetch (tests, proxies). Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Request timeout in ms; a timeout is a retryable ProviderError. Default 30 s. */
  timeoutMs?: number;
  /** Clock in ms since the epoch, used to turn rate-limit reset timestamps into seconds. Default Date.now. */
  now?: () => number;
  /** Pause between polls of a provider action the driver must wait for (Hetzner delete). Default 1 s. */
  pollIntervalMs?: number;
}

export interface Region {
  /** The provider's slug/name, passed back as `region` on create. */
  id: string;
  name: string;
  /** Country or area when the provider says so, e.g. "Frankfurt, DE". */
  location?: string;
  available: boolean;
}

export interface Size {
  id: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  /** Monthly price in US cents (EUR cents for Hetzner, see currency). */
  priceMonthlyCents: number;
  currency: "USD" | "EUR";
  /** Regions where this size can be created; empty = not restricted/unknown. */
  regions: string[];
  /** Where the monthly price differs by region (Hetzner), the price per region; priceMonthlyCents is the lowest. */
  priceMonthlyCentsByRegion?: Record<string, number>;
}

export interface CredentialCheck {
  /** The account's display name or e-mail when the provider says, for the UI. */
  accountLabel?: string;
  /** Scopes the token has, where the API reports them (DigitalOcean custom scopes). */
  scopes?: string[];
  /** Scopes we need but the token lacks; non-empty → the credential is refused with their names. */
  missingScopes: string[];
}

export interface FirewallSpec {
  /** Inbound TCP rules. Empty (the default) = deny all inbound: the agent dials out. */
  inbound: { port: number; sources: string[] }[];
}

export interface CreateServerInput {
  /** Our instance id; the server is tagged `clawcloud-instance:<instanceId>`. */
  instanceId: string;
  name: string;
  region: string;
  size: string;
  /** Provider image slug/id; drivers have a default (Debian 12). */
  image?: string;
  /** Cloud-init user-data as text; the driver encodes it as its API wants (plain or base64). */
  userData: string;
  /** Extra tags/labels, `key:value` strings. */
  tags?: string[];
  firewall: FirewallSpec;
  /** The user's own public key, only when they chose "full SSH access". Never one of ours. */
  userSshPublicKey?: string;
}

export type ServerStatus = "creating" | "running" | "off" | "deleting" | "gone" | "unknown";

export interface Server {
  /** The provider's id for the server. */
  id: string;
  instanceId: string | undefined;
  name: string;
  status: ServerStatus;
  region: string;
  size: string;
  ipv4?: string;
  ipv6?: string;
  /** Ids of resources made with the server (firewall, key) that delete must also remove. */
  firewallId?: string;
  createdAt?: string;
}

export interface ComputeProviderV1 {
  readonly id: ProviderId;
  readonly version: 1;
  validateCredentials(): Promise<CredentialCheck>;
  listRegions(): Promise<Region[]>;
  listSizes(): Promise<Size[]>;
  /**
   * Creates the server (and its firewall). Idempotent by instanceId: when a server tagged with
   * this instance already exists, it is returned instead of creating a second one.
   */
  createServer(input: CreateServerInput): Promise<Server>;
  /** undefined when the provider no longer has it. */
  getServer(serverId: string): Promise<Server | undefined>;
  /** All servers carrying `clawcloud-instance:<instanceId>`; with no argument, every server of ours. */
  findServersByTag(instanceId?: string): Promise<Server[]>;
  /**
   * Deletes the server and what was made with it. Deleting a server that is gone succeeds.
   * `instanceId`, when the caller knows it, lets the driver also remove the firewall and key of a
   * server that is already gone (a retried delete whose first attempt removed only the server).
   */
  deleteServer(serverId: string, opts?: { instanceId?: string }): Promise<void>;
  reboot(serverId: string): Promise<void>;
}

export const INSTANCE_TAG_PREFIX = "clawcloud-instance:";
export const instanceTag = (instanceId: string) => `${INSTANCE_TAG_PREFIX}${instanceId}`;

export type ProviderErrorKind =
  | "unauthorized" // 401: token invalid, expired or revoked
  | "forbidden" // 403: token lacks a permission/scope
  | "not_found"
  | "invalid" // 400/422: the request is wrong (a bug, or an input the user chose)
  | "quota" // account limit reached (droplet limit, vCPU quota)
  | "conflict" // 409
  | "rate_limited" // 429
  | "unavailable" // 5xx, network error, timeout
  | "unknown";

/**
 * Every failure a driver reports. `message` is safe to show a person and to log: it never holds
 * the credential, a password, or user-data.
 */
export class ProviderError extends Error {
  readonly provider: ProviderId;
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** Seconds to wait before retrying, from Retry-After or the rate-limit reset header. */
  readonly retryAfter: number | undefined;

  constructor(o: {
    provider: ProviderId;
    kind: ProviderErrorKind;
    message: string;
    status?: number;
    retryAfter?: number;
    cause?: unknown;
  }) {
    super(o.message, { cause: o.cause });
    this.name = "ProviderError";
    this.provider = o.provider;
    this.kind = o.kind;
    this.status = o.status;
    this.retryable = o.kind === "rate_limited" || o.kind === "unavailable" || o.kind === "conflict" || o.status === 408;
    this.retryAfter = o.retryAfter;
  }
}
