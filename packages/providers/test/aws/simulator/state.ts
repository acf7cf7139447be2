// Options, wire records, faults and the per-region state the simulator models.

export interface WireRecord {
  service: "ec2" | "sts" | "none";
  region: string;
  action: string;
  version: string;
  /** Decoded form parameters, without Action and Version. */
  params: Record<string, string>;
  accessKeyId: string;
  status: number;
  /** The XML sent ("" when the connection was reset instead). */
  body: string;
  fault?: string;
}

export type FaultKind =
  /** EC2's InternalError (500) or Unavailable (503) envelope; `status` picks which (default 500). */
  | "server_error"
  /** RequestLimitExceeded, as EC2 sends it: HTTP 503 and no Retry-After header. */
  | "throttle"
  /** A proxy in the way answers 502 with HTML, not EC2 XML. */
  | "proxy_502"
  /** The connection is dropped without an answer. */
  | "reset"
  /** The answer comes `delayMs` late ("before": the request is handled after the delay). */
  | "slow"
  /** No answer at all; the connection stays open until the simulator closes. */
  | "hang";
export interface Fault {
  /** Only for this action or these actions (default: any). */
  action?: string | string[];
  service?: "ec2" | "sts";
  /** How many matching requests it hits (default 1; Infinity for all). */
  times?: number;
  /** Chance (0-1) that a matching request gets it, from the simulator's seeded generator. */
  probability?: number;
  /** "after": the action takes effect first, then the answer fails (a timeout after the create took effect). */
  when?: "before" | "after";
  kind: FaultKind;
  /** server_error: 500 (InternalError) or 503 (Unavailable). */
  status?: number;
  /** slow: how long the answer is held back. */
  delayMs?: number;
  /** A further condition on the request (e.g. DescribeInstances by id vs. by filter). */
  match?: (action: string, params: Record<string, string>) => boolean;
  /** What the log records as the fault (default: `kind`). */
  label?: string;
}

export interface SimulatorOptions {
  accountId?: string;
  regions?: { name: string; optInStatus?: "opt-in-not-required" | "opted-in" | "not-opted-in" }[];
  /** How many DescribeInstances answers show a new instance as pending before it runs. */
  pendingDescribes?: number;
  /** How many DescribeInstances answers show shutting-down before terminated. */
  shuttingDownDescribes?: number;
  /** How many answers still show a terminated instance before it is gone (NotFound). */
  terminatedVisibleDescribes?: number;
  /** Eventual consistency: filtered DescribeInstances calls that miss a just-launched instance. */
  invisibleDescribes?: number;
  /** Eventual consistency: tag-filtered DescribeSecurityGroups calls that miss a new group. */
  invisibleGroupDescribes?: number;
  /** DeleteSecurityGroup attempts answered DependencyViolation after the instance terminated. */
  groupBusyAfterTerminate?: number;
  /** Most items per page for DescribeInstances / DescribeInstanceTypes / DescribeSecurityGroups. */
  pageSize?: number;
  /** vCPUs of running+pending instances allowed per region (VcpuLimitExceeded beyond). */
  vcpuLimit?: number;
  /** Instance types on offer (default: all of SIM_INSTANCE_TYPES). */
  instanceTypes?: string[];
  /** Token bucket per account+region over all EC2 actions. */
  rateLimit?: { capacity: number; refillPerSecond: number };
  /** Clock for the rate limit and STS expiry (ms). */
  now?: () => number;
  /** Seed of the generator behind `Fault.probability`. */
  seed?: number;
}

/** A faulty proxy's answer, not EC2's: the contract check does not hold it to the model. */
export const PROXY_502 = "<html><body><h1>502 Bad Gateway</h1></body></html>";
/** An access key the simulator refuses with AuthFailure / InvalidClientTokenId. */
export const BAD_ACCESS_KEY = "AKIABADBADBADBADBAD0";
export const SIM_ACCOUNT = "123456789012";
export const DEBIAN_OWNER = "136693071363";

export interface Tag {
  key: string;
  value: string;
}
export interface SimInstance {
  id: string;
  reservationId: string;
  region: string;
  az: string;
  imageId: string;
  type: string;
  state: "pending" | "running" | "stopping" | "stopped" | "shutting-down" | "terminated";
  seen: number;
  invisibleLeft: number;
  keyName?: string;
  groups: { id: string; name: string }[];
  tags: Tag[];
  launchTime: Date;
  clientToken?: string;
  userData: string;
  privateIp: string;
  publicIp?: string;
  metadata: { httpTokens: string; httpEndpoint: string; hopLimit: number };
  rootDevice: { name: string; volumeId: string; sizeGb: number; volumeType: string };
  reboots: number;
}
export interface SimGroup {
  id: string;
  name: string;
  description: string;
  vpcId: string;
  tags: Tag[];
  ingress: { protocol: string; from: number; to: number; v4: string[]; v6: string[] }[];
  busyLeft: number;
  invisibleLeft: number;
}
export interface SimKey {
  id: string;
  name: string;
  fingerprint: string;
  material: string;
  tags: Tag[];
}
export interface SimImage {
  id: string;
  name: string;
  owner: string;
  arch: "x86_64" | "arm64";
  created: string;
  rootDeviceName: string;
  sizeGb: number;
}
export interface RegionState {
  instances: Map<string, SimInstance>;
  groups: Map<string, SimGroup>;
  keys: Map<string, SimKey>;
  images: SimImage[];
  tokens: Map<string, { reservationId: string; instanceIds: string[]; fingerprint: string }>;
  bucket: { tokens: number; at: number };
}

export const STATE_CODE: Record<SimInstance["state"], number> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export const SIM_INSTANCE_TYPES: Record<string, { vcpus: number; memMiB: number; arch: "x86_64" | "arm64"; burstable: boolean }> = {
  "t3.micro": { vcpus: 2, memMiB: 1024, arch: "x86_64", burstable: true },
  "t3.small": { vcpus: 2, memMiB: 2048, arch: "x86_64", burstable: true },
  "t3.medium": { vcpus: 2, memMiB: 4096, arch: "x86_64", burstable: true },
  "t3.large": { vcpus: 2, memMiB: 8192, arch: "x86_64", burstable: true },
  "t3.xlarge": { vcpus: 4, memMiB: 16384, arch: "x86_64", burstable: true },
  "t3a.small": { vcpus: 2, memMiB: 2048, arch: "x86_64", burstable: true },
  "t3a.medium": { vcpus: 2, memMiB: 4096, arch: "x86_64", burstable: true },
  "t3a.large": { vcpus: 2, memMiB: 8192, arch: "x86_64", burstable: true },
  "t3a.xlarge": { vcpus: 4, memMiB: 16384, arch: "x86_64", burstable: true },
  "m6i.large": { vcpus: 2, memMiB: 8192, arch: "x86_64", burstable: false },
  "m6i.xlarge": { vcpus: 4, memMiB: 16384, arch: "x86_64", burstable: false },
  "m6a.large": { vcpus: 2, memMiB: 8192, arch: "x86_64", burstable: false },
  "c6i.large": { vcpus: 2, memMiB: 4096, arch: "x86_64", burstable: false },
  "t4g.small": { vcpus: 2, memMiB: 2048, arch: "arm64", burstable: true },
};

/** Real EC2 types this simulated account is never offered: RunInstances answers Unsupported. */
export const ELSEWHERE_INSTANCE_TYPES = ["u-12tb1.112xlarge", "mac1.metal"];

export const AUTH_RE =
  /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]{16,128})\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9]+)\/aws4_request, ?SignedHeaders=([a-z0-9-]+(?:;[a-z0-9-]+)*), ?Signature=[0-9a-f]{64}$/;

export type ResolvedOptions = Required<Omit<SimulatorOptions, "rateLimit">> & { rateLimit: SimulatorOptions["rateLimit"] };

/** What the request handlers need from the simulator. */
export interface SimContext {
  readonly opts: ResolvedOptions;
  readonly roles: Map<string, { externalId: string }>;
  readonly sessions: Map<string, { token: string; principal: string; arn: string; expires: number }>;
  id(prefix: string): string;
  seq(): number;
  region(name: string): RegionState;
}

export function newRegion(ctx: SimContext): RegionState {
  const img = (n: string, owner: string, arch: "x86_64" | "arm64", created: string): SimImage => ({
    id: ctx.id("ami"),
    name: n,
    owner,
    arch,
    created,
    rootDeviceName: "/dev/xvda",
    sizeGb: 8,
  });
  return {
    instances: new Map(),
    groups: new Map([
      [
        "default",
        {
          id: ctx.id("sg"),
          name: "default",
          description: "default VPC security group",
          vpcId: "vpc-0default",
          tags: [],
          ingress: [],
          busyLeft: 0,
          invisibleLeft: 0,
        },
      ],
    ]),
    keys: new Map(),
    images: [
      img("debian-12-amd64-20240102-1614", DEBIAN_OWNER, "x86_64", "2024-01-02T16:20:00.000Z"),
      img("debian-12-amd64-20240717-1811", DEBIAN_OWNER, "x86_64", "2024-07-17T18:20:00.000Z"),
      img("debian-12-arm64-20240801-1900", DEBIAN_OWNER, "arm64", "2024-08-01T19:05:00.000Z"),
      img("debian-11-amd64-20240801-1900", DEBIAN_OWNER, "x86_64", "2024-08-01T19:05:00.000Z"),
      img("debian-12-amd64-20250101-0000", "999999999999", "x86_64", "2025-01-01T00:00:00.000Z"),
    ],
    tokens: new Map(),
    bucket: { tokens: ctx.opts.rateLimit?.capacity ?? 0, at: ctx.opts.now() },
  };
}
