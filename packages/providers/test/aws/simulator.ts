// An in-process EC2 (and STS) simulator that speaks the real wire format: EC2 Query requests
// (form-encoded `Action=…&Version=2016-11-15`, lists flattened as `Name.1`, structures as
// `Name.Member`), SigV4-signed, answered with the XML shapes EC2 sends (`<XResponse><requestId>`,
// lists as `<xSet><item>`) and EC2's error envelope (`<Response><Errors><Error><Code>`). STS
// (`Version=2011-06-15`) answers AssumeRole and GetCallerIdentity in the awsQuery shapes.
//
// AWS behaviour is MODELLED here, not emulated by AWS or a third party: state transitions
// (pending → running after N describes, shutting-down → terminated), ClientToken idempotency,
// eventual consistency of filtered reads, security groups held by instances that are terminating,
// RequestLimitExceeded, and injectable faults. Every request and response is recorded in `log`
// for the contract test, which checks them against the botocore model.
//
// The region of a request is read from its SigV4 credential scope, so one endpoint serves every
// region, as the SDK signs each client for its own region.

import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

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

type Node = string | { [k: string]: Node };

class SimError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

interface Tag {
  key: string;
  value: string;
}
interface SimInstance {
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
interface SimGroup {
  id: string;
  name: string;
  description: string;
  vpcId: string;
  tags: Tag[];
  ingress: { protocol: string; from: number; to: number; v4: string[]; v6: string[] }[];
  busyLeft: number;
  invisibleLeft: number;
}
interface SimKey {
  id: string;
  name: string;
  fingerprint: string;
  material: string;
  tags: Tag[];
}
interface SimImage {
  id: string;
  name: string;
  owner: string;
  arch: "x86_64" | "arm64";
  created: string;
  rootDeviceName: string;
  sizeGb: number;
}
interface RegionState {
  instances: Map<string, SimInstance>;
  groups: Map<string, SimGroup>;
  keys: Map<string, SimKey>;
  images: SimImage[];
  tokens: Map<string, { reservationId: string; instanceIds: string[]; fingerprint: string }>;
  bucket: { tokens: number; at: number };
}

const STATE_CODE: Record<SimInstance["state"], number> = {
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

const AUTH_RE =
  /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]{16,128})\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9]+)\/aws4_request, ?SignedHeaders=([a-z0-9-]+(?:;[a-z0-9-]+)*), ?Signature=[0-9a-f]{64}$/;

// ---------- Query parameters → tree -----------------------------------------------------------

/** `A.1.B=x` → { A: { "1": { B: "x" } } }. Numeric keys stay strings; `list()` reads them in order. */
function nest(params: Record<string, string>): { [k: string]: Node } {
  const root: { [k: string]: Node } = {};
  for (const [key, value] of Object.entries(params)) {
    const parts = key.split(".");
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i] as string;
      const next = node[p];
      if (typeof next === "string")
        throw new SimError("InvalidParameterValue", `Parameter ${key} conflicts with ${parts.slice(0, i + 1).join(".")}`);
      if (next === undefined) node[p] = {};
      node = node[p] as { [k: string]: Node };
    }
    node[parts[parts.length - 1] as string] = value;
  }
  return root;
}

function str(node: Node | undefined, key: string): string | undefined {
  if (node === undefined || typeof node === "string") return undefined;
  const v = node[key];
  return typeof v === "string" ? v : undefined;
}
function obj(node: Node | undefined, key: string): { [k: string]: Node } | undefined {
  if (node === undefined || typeof node === "string") return undefined;
  const v = node[key];
  return v !== undefined && typeof v !== "string" ? v : undefined;
}
function list(node: Node | undefined, key: string): Node[] {
  const o = obj(node, key);
  if (!o) return [];
  const idx = Object.keys(o)
    .map(Number)
    .sort((a, b) => a - b);
  idx.forEach((n, i) => {
    if (n !== i + 1) throw new SimError("InvalidParameterValue", `List ${key} must be numbered 1..n`);
  });
  return idx.map((n) => o[String(n)] as Node);
}
const strings = (node: Node | undefined, key: string) => list(node, key).filter((x): x is string => typeof x === "string");
function int(node: Node | undefined, key: string): number | undefined {
  const s = str(node, key);
  if (s === undefined) return undefined;
  if (!/^-?\d+$/.test(s)) throw new SimError("InvalidParameterValue", `Value (${s}) for parameter ${key} is invalid. Expected an integer.`);
  return Number(s);
}
function need(node: Node | undefined, key: string): string {
  const v = str(node, key);
  if (v === undefined || v === "") throw new SimError("MissingParameter", `The request must contain the parameter ${key}`);
  return v;
}

interface FilterSpec {
  name: string;
  values: string[];
}
function filters(p: Node): FilterSpec[] {
  return list(p, "Filter").map((f) => ({ name: need(f, "Name"), values: strings(f, "Value") }));
}
function tagSpecs(p: Node): { type: string; tags: Tag[] }[] {
  return list(p, "TagSpecification").map((s) => ({
    type: need(s, "ResourceType"),
    tags: list(s, "Tag").map((t) => ({ key: need(t, "Key"), value: str(t, "Value") ?? "" })),
  }));
}
const glob = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  ).test(value);
const matchAny = (values: string[], v: string | undefined) => v !== undefined && values.some((pat) => glob(pat, v));
function tagFilter(f: FilterSpec, tags: Tag[]): boolean | undefined {
  if (f.name === "tag-key") return tags.some((t) => matchAny(f.values, t.key));
  if (f.name.startsWith("tag:")) {
    const key = f.name.slice(4);
    return tags.some((t) => t.key === key && matchAny(f.values, t.value));
  }
  return undefined;
}

// ---------- XML ------------------------------------------------------------------------------

type X = string | number | boolean | Date | undefined | X[] | { [k: string]: X };
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** Objects become elements, arrays EC2 lists (`<item>` children), Dates ISO 8601. */
function xml(tag: string, v: X): string {
  if (v === undefined) return "";
  if (Array.isArray(v)) return `<${tag}>${v.map((item) => xml("item", item)).join("")}</${tag}>`;
  if (v instanceof Date) return `<${tag}>${v.toISOString()}</${tag}>`;
  if (typeof v === "object")
    return `<${tag}>${Object.entries(v)
      .map(([k, c]) => xml(k, c))
      .join("")}</${tag}>`;
  return `<${tag}>${esc(String(v))}</${tag}>`;
}
const tagSet = (tags: Tag[]) => (tags.length ? tags.map((t) => ({ key: t.key, value: t.value })) : undefined);

// ---------- the simulator ----------------------------------------------------------------------

export class Ec2Simulator {
  readonly log: WireRecord[] = [];
  readonly opts: Required<Omit<SimulatorOptions, "rateLimit">> & { rateLimit: SimulatorOptions["rateLimit"] };
  url = "";
  readonly #server: Server;
  readonly #regions = new Map<string, RegionState>();
  readonly #faults: (Fault & { left: number })[] = [];
  readonly #deny = new Map<string, Set<string>>();
  readonly #roles = new Map<string, { externalId: string }>();
  readonly #sessions = new Map<string, { token: string; principal: string; arn: string; expires: number }>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #seq = 0;
  #rand = 0;

  constructor(options: SimulatorOptions = {}) {
    this.opts = {
      accountId: SIM_ACCOUNT,
      regions: [{ name: "us-east-1" }, { name: "eu-central-1" }, { name: "eu-west-1" }, { name: "ap-east-1", optInStatus: "not-opted-in" }],
      pendingDescribes: 1,
      shuttingDownDescribes: 1,
      terminatedVisibleDescribes: Number.POSITIVE_INFINITY,
      invisibleDescribes: 0,
      groupBusyAfterTerminate: 0,
      invisibleGroupDescribes: 0,
      pageSize: 1000,
      vcpuLimit: 32,
      now: Date.now,
      instanceTypes: Object.keys(SIM_INSTANCE_TYPES),
      seed: 1,
      ...options,
      rateLimit: options.rateLimit,
    };
    this.#rand = this.opts.seed >>> 0;
    for (const r of this.opts.regions) this.#regions.set(r.name, this.#newRegion());
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ----- test controls -----
  inject(fault: Fault): void {
    this.#faults.push({ ...fault, left: fault.times ?? 1 });
  }
  clearFaults(): void {
    this.#faults.length = 0;
  }
  /** Actions (e.g. "RunInstances") this access key or role ARN is not allowed: UnauthorizedOperation. */
  deny(principal: string, actions: string[]): void {
    const set = this.#deny.get(principal) ?? new Set();
    for (const a of actions) set.add(a);
    this.#deny.set(principal, set);
  }
  addRole(roleArn: string, externalId: string): void {
    this.#roles.set(roleArn, { externalId });
  }
  region(name: string): RegionState {
    const r = this.#regions.get(name);
    if (!r) throw new Error(`simulator has no region ${name}`);
    return r;
  }
  instances(region?: string): SimInstance[] {
    const regions = region ? [this.region(region)] : [...this.#regions.values()];
    return regions.flatMap((r) => [...r.instances.values()]);
  }
  groups(region: string): SimGroup[] {
    return [...this.region(region).groups.values()];
  }
  keys(region: string): SimKey[] {
    return [...this.region(region).keys.values()];
  }
  regionNames(): string[] {
    return [...this.#regions.keys()];
  }
  setState(instanceId: string, state: SimInstance["state"]): void {
    const inst = this.instances().find((i) => i.id === instanceId);
    if (!inst) throw new Error(`no instance ${instanceId}`);
    inst.state = state;
    inst.seen = 0;
  }
  calls(action: string): WireRecord[] {
    return this.log.filter((r) => r.action === action);
  }

  // ----- internals -----
  #id(prefix: string): string {
    this.#seq++;
    return `${prefix}-${createHash("sha256").update(`${prefix}${this.#seq}`).digest("hex").slice(0, 17)}`;
  }

  #newRegion(): RegionState {
    const img = (n: string, owner: string, arch: "x86_64" | "arm64", created: string): SimImage => ({
      id: this.#id("ami"),
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
            id: this.#id("sg"),
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
      bucket: { tokens: this.opts.rateLimit?.capacity ?? 0, at: this.opts.now() },
    };
  }

  /** mulberry32: a small seeded generator, so probabilistic faults repeat run to run. */
  #random(): number {
    this.#rand = (this.#rand + 0x6d2b79f5) >>> 0;
    let t = this.#rand;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  #takeFault(service: string, action: string, params: Record<string, string>, when: "before" | "after"): Fault | undefined {
    for (const f of this.#faults) {
      if (f.left <= 0 || (f.when ?? "before") !== when || (f.service && f.service !== service)) continue;
      if (f.action !== undefined && !(Array.isArray(f.action) ? f.action.includes(action) : f.action === action)) continue;
      if (f.match && !f.match(action, params)) continue;
      if (f.probability !== undefined && this.#random() >= f.probability) continue;
      f.left--;
      return f;
    }
    return undefined;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const form = new URLSearchParams(req.method === "GET" ? (req.url ?? "").split("?")[1] : raw);
    const params: Record<string, string> = {};
    for (const [k, v] of form) {
      if (k in params) {
        return this.#send(
          res,
          { service: "none", region: "", action: "", version: "", params, accessKeyId: "" },
          400,
          this.#ec2Error("InvalidParameterValue", `Duplicate parameter ${k}`),
        );
      }
      params[k] = v;
    }
    const action = params.Action ?? "";
    const version = params.Version ?? "";
    delete params.Action;
    delete params.Version;
    const rec: Omit<WireRecord, "status" | "body"> = { service: "none", region: "", action, version, params, accessKeyId: "" };

    // --- authentication: any signature, but a well-formed SigV4 header -----------------------
    const auth = AUTH_RE.exec(String(req.headers.authorization ?? ""));
    const amzDate = String(req.headers["x-amz-date"] ?? "");
    if (!auth || !/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== auth[2] || !auth[5]?.split(";").includes("host")) {
      return this.#send(res, rec, 400, this.#ec2Error("IncompleteSignature", "The request signature does not conform to AWS standards."));
    }
    const [, akid = "", , region = "", service = ""] = auth;
    rec.accessKeyId = akid;
    rec.region = region;
    if (service !== "ec2" && service !== "sts") {
      return this.#send(res, rec, 400, this.#ec2Error("InvalidAction", `Unknown service ${service}`));
    }
    rec.service = service;
    const isSts = service === "sts";
    const err = (e: SimError) => (isSts ? this.#stsError(e.code, e.message) : this.#ec2Error(e.code, e.message));

    let principal = akid;
    let arn = `arn:aws:iam::${this.opts.accountId}:user/sim-${akid.slice(-4).toLowerCase()}`;
    const session = this.#sessions.get(akid);
    if (akid === BAD_ACCESS_KEY || (akid.startsWith("ASIA") && !session)) {
      const e = isSts
        ? new SimError("InvalidClientTokenId", "The security token included in the request is invalid.", 403)
        : new SimError("AuthFailure", "AWS was not able to validate the provided access credentials", 401);
      return this.#send(res, rec, e.status, err(e));
    }
    if (session) {
      if (req.headers["x-amz-security-token"] !== session.token) {
        return this.#send(res, rec, 401, err(new SimError("AuthFailure", "The security token included in the request is invalid.", 401)));
      }
      if (this.opts.now() >= session.expires) {
        return this.#send(
          res,
          rec,
          400,
          err(new SimError(isSts ? "ExpiredToken" : "RequestExpired", "The security token included in the request is expired")),
        );
      }
      principal = session.principal;
      arn = session.arn;
    }

    const expectedVersion = isSts ? "2011-06-15" : "2016-11-15";
    if (version !== expectedVersion) {
      return this.#send(res, rec, 400, err(new SimError("InvalidParameterValue", `Version ${version} is not ${expectedVersion}`)));
    }
    const regionInfo = this.opts.regions.find((r) => r.name === region);
    if (!regionInfo || (!isSts && regionInfo.optInStatus === "not-opted-in")) {
      return this.#send(
        res,
        rec,
        401,
        err(new SimError("AuthFailure", "AWS was not able to validate the provided access credentials", 401)),
      );
    }

    let slowLabel: string | undefined;
    const before = this.#takeFault(service, action, params, "before");
    if (before?.kind === "slow") {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.#timers.delete(t);
          resolve();
        }, before.delayMs ?? 1000);
        this.#timers.add(t);
      });
      if (res.destroyed) {
        this.log.push({ ...rec, status: 0, body: "", fault: before.label ?? "slow" });
        return;
      }
      slowLabel = before.label ?? "slow";
    } else if (before) {
      return this.#fault(res, rec, before, undefined);
    }

    // --- rate limit: a token bucket per account and region ------------------------------------
    if (!isSts && this.opts.rateLimit) {
      const b = this.region(region).bucket;
      const now = this.opts.now();
      b.tokens = Math.min(this.opts.rateLimit.capacity, b.tokens + ((now - b.at) / 1000) * this.opts.rateLimit.refillPerSecond);
      b.at = now;
      if (b.tokens < 1) return this.#send(res, rec, 503, this.#ec2Error("RequestLimitExceeded", "Request limit exceeded."));
      b.tokens -= 1;
    }

    let status = 200;
    let body: string;
    try {
      const tree = nest(params);
      if (this.#deny.get(principal)?.has(action)) {
        throw isSts
          ? new SimError("AccessDenied", `User: ${arn} is not authorized to perform: sts:${action}`, 403)
          : new SimError(
              "UnauthorizedOperation",
              `You are not authorized to perform this operation. User: ${arn} is not authorized to perform: ec2:${action} because no identity-based policy allows the ec2:${action} action. Encoded authorization failure message: ${randomBytes(96).toString("base64url")}`,
              403,
            );
      }
      if (!isSts && str(tree, "DryRun") === "true") {
        throw new SimError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
      }
      const result = isSts ? this.#sts(action, tree, principal, arn) : this.#ec2(action, tree, region);
      body = isSts
        ? `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">${xml(`${action}Result`, result as X)}<ResponseMetadata><RequestId>${this.#requestId()}</RequestId></ResponseMetadata></${action}Response>`
        : `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${this.#requestId()}</requestId>${Object.entries(
            result as Record<string, X>,
          )
            .map(([k, v]) => xml(k, v))
            .join("")}</${action}Response>`;
    } catch (e) {
      if (!(e instanceof SimError)) throw e;
      status = e.status;
      body = err(e);
    }
    const after = this.#takeFault(service, action, params, "after");
    if (after) return this.#fault(res, rec, after, body, status);
    this.#send(res, rec, status, body, slowLabel);
  }

  #fault(res: ServerResponse, rec: Omit<WireRecord, "status" | "body">, f: Fault, body: string | undefined, status = 200): void {
    const label = f.label ?? f.kind;
    switch (f.kind) {
      case "server_error":
        if (f.status === 503)
          this.#send(res, rec, 503, this.#ec2Error("Unavailable", "The server is overloaded and can't handle the request."), label);
        else this.#send(res, rec, f.status ?? 500, this.#ec2Error("InternalError", "An internal error has occurred"), label);
        return;
      case "throttle":
        this.#send(res, rec, 503, this.#ec2Error("RequestLimitExceeded", "Request limit exceeded."), label);
        return;
      case "proxy_502":
        this.log.push({ ...rec, status: 502, body: PROXY_502, fault: label });
        res.writeHead(502, { "content-type": "text/html" });
        res.end(PROXY_502);
        return;
      case "reset":
        this.log.push({ ...rec, status: 0, body: "", fault: label });
        res.socket?.destroy();
        return;
      case "hang":
        this.log.push({ ...rec, status: 0, body: "", fault: label });
        return;
      case "slow": {
        // Only "after" gets here: the action took effect, the answer (if the client still waits) is late.
        const late = { status, body: body ?? "" };
        this.log.push({ ...rec, ...late, fault: label });
        const t = setTimeout(() => {
          this.#timers.delete(t);
          if (res.destroyed) return;
          res.writeHead(late.status, { "content-type": "text/xml;charset=UTF-8" });
          res.end(late.body);
        }, f.delayMs ?? 1000);
        this.#timers.add(t);
        return;
      }
    }
  }

  #send(res: ServerResponse, rec: Omit<WireRecord, "status" | "body">, status: number, body: string, fault?: string): void {
    this.log.push({ ...rec, status, body, ...(fault ? { fault } : {}) });
    res.writeHead(status, { "content-type": "text/xml;charset=UTF-8", "x-amzn-requestid": this.#requestId() });
    res.end(body);
  }

  #requestId(): string {
    return randomBytes(16)
      .toString("hex")
      .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
  }
  #ec2Error(code: string, message: string): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error></Errors><RequestID>${this.#requestId()}</RequestID></Response>`;
  }
  #stsError(code: string, message: string): string {
    return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error><RequestId>${this.#requestId()}</RequestId></ErrorResponse>`;
  }

  // ----- STS -----
  #sts(action: string, p: Node, principal: string, arn: string): X {
    if (action === "GetCallerIdentity") {
      return {
        Arn: arn,
        UserId: principal.startsWith("arn:") ? `AROA${principal.length}:clawcloud` : `AIDA${principal.slice(4, 16)}`,
        Account: this.opts.accountId,
      };
    }
    if (action === "AssumeRole") {
      const roleArn = need(p, "RoleArn");
      const sessionName = need(p, "RoleSessionName");
      const duration = int(p, "DurationSeconds") ?? 3600;
      if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new SimError("ValidationError", "RoleSessionName is invalid");
      if (duration < 900 || duration > 43200) throw new SimError("ValidationError", "DurationSeconds must be 900-43200");
      const role = this.#roles.get(roleArn);
      if (!role || role.externalId !== str(p, "ExternalId")) {
        throw new SimError("AccessDenied", `User: ${arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
      }
      const accessKeyId = `ASIA${randomBytes(8).toString("hex").toUpperCase()}`;
      const token = randomBytes(48).toString("base64");
      const expires = this.opts.now() + duration * 1000;
      const roleName = roleArn.split("/").pop() ?? "role";
      const assumedArn = `arn:aws:sts::${roleArn.split(":")[4]}:assumed-role/${roleName}/${sessionName}`;
      this.#sessions.set(accessKeyId, { token, principal: roleArn, arn: assumedArn, expires });
      return {
        Credentials: {
          AccessKeyId: accessKeyId,
          SecretAccessKey: randomBytes(30).toString("base64"),
          SessionToken: token,
          Expiration: new Date(expires),
        },
        AssumedRoleUser: { AssumedRoleId: `AROA${randomBytes(8).toString("hex").toUpperCase()}:${sessionName}`, Arn: assumedArn },
      };
    }
    throw new SimError("InvalidAction", `Could not find operation ${action} for version 2011-06-15`);
  }

  // ----- EC2 -----
  #ec2(action: string, p: { [k: string]: Node }, regionName: string): Record<string, X> {
    const r = this.region(regionName);
    switch (action) {
      case "DescribeRegions":
        return this.#describeRegions(p);
      case "DescribeImages":
        return this.#describeImages(p, r);
      case "DescribeInstanceTypes":
        return this.#describeInstanceTypes(p);
      case "DescribeInstances":
        return this.#describeInstances(p, r);
      case "RunInstances":
        return this.#runInstances(p, r, regionName);
      case "TerminateInstances":
        return this.#terminate(p, r);
      case "RebootInstances": {
        for (const i of this.#instancesById(r, strings(p, "InstanceId"), true)) i.reboots++;
        return { return: true };
      }
      case "CreateSecurityGroup":
        return this.#createGroup(p, r);
      case "DescribeSecurityGroups":
        return this.#describeGroups(p, r);
      case "AuthorizeSecurityGroupIngress":
        return this.#authorizeIngress(p, r);
      case "DeleteSecurityGroup":
        return this.#deleteGroup(p, r);
      case "ImportKeyPair":
        return this.#importKey(p, r);
      case "DescribeKeyPairs":
        return this.#describeKeys(p, r);
      case "DeleteKeyPair": {
        const name = str(p, "KeyName");
        const id = str(p, "KeyPairId");
        if (!name && !id) throw new SimError("MissingParameter", "KeyName or KeyPairId is required");
        for (const k of r.keys.values()) if (k.name === name || k.id === id) r.keys.delete(k.name);
        return { return: true };
      }
      default:
        throw new SimError("InvalidAction", `The action ${action} is not valid for this web service.`);
    }
  }

  #page<T>(p: Node, items: T[], maxKey = "MaxResults", min = 5, max = 1000): { page: T[]; next?: string } {
    const requested = int(p, maxKey);
    if (requested !== undefined && (requested < min || requested > max)) {
      throw new SimError(
        "InvalidParameterValue",
        `Value ( ${requested} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`,
      );
    }
    const size = Math.min(requested ?? Number.POSITIVE_INFINITY, this.opts.pageSize);
    const token = str(p, "NextToken");
    const start = token
      ? Number(
          Buffer.from(token, "base64url")
            .toString("utf8")
            .replace(/^offset:/, ""),
        )
      : 0;
    if (!Number.isInteger(start) || start < 0) throw new SimError("InvalidParameterValue", "Invalid NextToken");
    const page = items.slice(start, start + size);
    const next = start + size < items.length ? Buffer.from(`offset:${start + size}`).toString("base64url") : undefined;
    return next ? { page, next } : { page };
  }

  #describeRegions(p: Node): Record<string, X> {
    const all = str(p, "AllRegions") === "true";
    const names = strings(p, "RegionName");
    const regions = this.opts.regions.filter(
      (r) => (all || (r.optInStatus ?? "opt-in-not-required") !== "not-opted-in") && (names.length === 0 || names.includes(r.name)),
    );
    return {
      regionInfo: regions.map((r) => ({
        regionName: r.name,
        regionEndpoint: `ec2.${r.name}.amazonaws.com`,
        optInStatus: r.optInStatus ?? "opt-in-not-required",
      })),
    };
  }

  #describeImages(p: Node, r: RegionState): Record<string, X> {
    const ids = strings(p, "ImageId");
    const owners = strings(p, "Owner");
    let images = r.images.filter((i) => (ids.length === 0 || ids.includes(i.id)) && (owners.length === 0 || owners.includes(i.owner)));
    if (ids.length && images.length < ids.length)
      throw new SimError("InvalidAMIID.NotFound", `The image id '[${ids.join(", ")}]' does not exist`);
    for (const f of filters(p)) {
      const field: Record<string, (i: SimImage) => string> = {
        name: (i) => i.name,
        architecture: (i) => i.arch,
        state: () => "available",
        "owner-id": (i) => i.owner,
      };
      const get = field[f.name];
      if (!get) throw new SimError("InvalidParameterValue", `The filter '${f.name}' is invalid`);
      images = images.filter((i) => matchAny(f.values, get(i)));
    }
    return {
      imagesSet: images.map((i) => ({
        imageId: i.id,
        imageLocation: `${i.owner}/${i.name}`,
        imageState: "available",
        imageOwnerId: i.owner,
        creationDate: i.created,
        isPublic: true,
        architecture: i.arch,
        imageType: "machine",
        name: i.name,
        description: `Debian ${i.name}`,
        rootDeviceType: "ebs",
        rootDeviceName: i.rootDeviceName,
        blockDeviceMapping: [
          {
            deviceName: i.rootDeviceName,
            ebs: {
              snapshotId: `snap-${i.id.slice(4)}`,
              volumeSize: i.sizeGb,
              deleteOnTermination: true,
              volumeType: "gp2",
              encrypted: false,
            },
          },
        ],
        virtualizationType: "hvm",
        hypervisor: "xen",
        enaSupport: true,
        bootMode: "uefi",
      })),
    };
  }

  #describeInstanceTypes(p: Node): Record<string, X> {
    const offered = this.opts.instanceTypes;
    const wanted = strings(p, "InstanceType");
    for (const t of wanted) {
      if (!offered.includes(t)) throw new SimError("InvalidInstanceType", `The following supplied instance types do not exist: [${t}]`);
    }
    let names = wanted.length ? wanted : offered;
    for (const f of filters(p)) {
      if (f.name !== "instance-type") throw new SimError("InvalidParameterValue", `The filter '${f.name}' is invalid`);
      names = names.filter((n) => matchAny(f.values, n));
    }
    const { page, next } = this.#page(p, names, "MaxResults", 5, 100);
    return {
      instanceTypeSet: page.map((name) => {
        const t = SIM_INSTANCE_TYPES[name] as (typeof SIM_INSTANCE_TYPES)[string];
        return {
          instanceType: name,
          currentGeneration: true,
          freeTierEligible: name === "t3.micro",
          supportedUsageClasses: ["on-demand", "spot"],
          supportedRootDeviceTypes: ["ebs"],
          supportedVirtualizationTypes: ["hvm"],
          bareMetal: false,
          hypervisor: "nitro",
          processorInfo: { supportedArchitectures: [t.arch], sustainedClockSpeedInGhz: 2.5 },
          vCpuInfo: { defaultVCpus: t.vcpus, defaultCores: t.vcpus / 2, defaultThreadsPerCore: 2 },
          memoryInfo: { sizeInMiB: t.memMiB },
          instanceStorageSupported: false,
          burstablePerformanceSupported: t.burstable,
        };
      }),
      nextToken: next,
    };
  }

  #instancesById(r: RegionState, ids: string[], mustExist: boolean): SimInstance[] {
    const out: SimInstance[] = [];
    for (const id of ids) {
      if (!/^i-[0-9a-f]{8,17}$/.test(id)) throw new SimError("InvalidInstanceID.Malformed", `Invalid id: "${id}"`);
      const inst = r.instances.get(id);
      if (!inst) {
        if (mustExist) throw new SimError("InvalidInstanceID.NotFound", `The instance ID '${id}' does not exist`);
        continue;
      }
      out.push(inst);
    }
    return out;
  }

  /** One DescribeInstances answer has shown the instance: advance its lifecycle. */
  #tick(inst: SimInstance, r: RegionState): void {
    inst.seen++;
    if (inst.state === "pending" && inst.seen >= this.opts.pendingDescribes) {
      inst.state = "running";
      inst.seen = 0;
      inst.publicIp = `203.0.113.${(Number.parseInt(inst.id.slice(-2), 16) % 250) + 1}`;
    } else if (inst.state === "shutting-down" && inst.seen >= this.opts.shuttingDownDescribes) {
      inst.state = "terminated";
      inst.seen = 0;
      inst.publicIp = undefined;
      for (const g of inst.groups) {
        const group = [...r.groups.values()].find((x) => x.id === g.id);
        if (group) group.busyLeft = this.opts.groupBusyAfterTerminate;
      }
    } else if (inst.state === "terminated" && inst.seen >= this.opts.terminatedVisibleDescribes) {
      r.instances.delete(inst.id);
    }
  }

  #instanceXml(i: SimInstance): X {
    return {
      instanceId: i.id,
      imageId: i.imageId,
      instanceState: { code: STATE_CODE[i.state], name: i.state },
      privateDnsName: `ip-${i.privateIp.replace(/\./g, "-")}.ec2.internal`,
      dnsName: i.publicIp ? `ec2-${i.publicIp.replace(/\./g, "-")}.compute-1.amazonaws.com` : "",
      reason: i.state === "terminated" ? "User initiated" : "",
      keyName: i.keyName,
      amiLaunchIndex: 0,
      productCodes: [],
      instanceType: i.type,
      launchTime: i.launchTime,
      placement: { availabilityZone: i.az, groupName: "", tenancy: "default" },
      monitoring: { state: "disabled" },
      subnetId: "subnet-0default",
      vpcId: "vpc-0default",
      privateIpAddress: i.privateIp,
      ipAddress: i.publicIp,
      sourceDestCheck: true,
      groupSet: i.groups.map((g) => ({ groupId: g.id, groupName: g.name })),
      architecture: SIM_INSTANCE_TYPES[i.type]?.arch ?? "x86_64",
      rootDeviceType: "ebs",
      rootDeviceName: i.rootDevice.name,
      blockDeviceMapping:
        i.state === "terminated"
          ? []
          : [
              {
                deviceName: i.rootDevice.name,
                ebs: { volumeId: i.rootDevice.volumeId, status: "attached", attachTime: i.launchTime, deleteOnTermination: true },
              },
            ],
      virtualizationType: "hvm",
      clientToken: i.clientToken,
      tagSet: tagSet(i.tags),
      hypervisor: "xen",
      networkInterfaceSet:
        i.state === "terminated"
          ? []
          : [{ networkInterfaceId: `eni-${i.id.slice(2)}`, subnetId: "subnet-0default", status: "in-use", privateIpAddress: i.privateIp }],
      ebsOptimized: false,
      enaSupport: true,
      metadataOptions: {
        state: "applied",
        httpTokens: i.metadata.httpTokens,
        httpPutResponseHopLimit: i.metadata.hopLimit,
        httpEndpoint: i.metadata.httpEndpoint,
      },
      platformDetails: "Linux/UNIX",
      bootMode: "uefi",
    };
  }

  #reservationXml(reservationId: string, insts: SimInstance[]): X {
    return { reservationId, ownerId: this.opts.accountId, groupSet: [], instancesSet: insts.map((i) => this.#instanceXml(i)) };
  }

  #describeInstances(p: Node, r: RegionState): Record<string, X> {
    const ids = strings(p, "InstanceId");
    if (ids.length && str(p, "MaxResults") !== undefined) {
      throw new SimError("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
    }
    const fs = filters(p);
    let insts = ids.length ? this.#instancesById(r, ids, true) : [...r.instances.values()];
    if (!ids.length) {
      // Eventual consistency: a just-launched instance is missing from filtered listings for a while.
      const hidden = insts.filter((i) => i.invisibleLeft > 0);
      for (const i of hidden) i.invisibleLeft--;
      insts = insts.filter((i) => !hidden.includes(i));
    }
    for (const f of fs) {
      insts = insts.filter((i) => {
        const t = tagFilter(f, i.tags);
        if (t !== undefined) return t;
        if (f.name === "instance-state-name") return f.values.includes(i.state);
        if (f.name === "instance-id") return f.values.includes(i.id);
        throw new SimError("InvalidParameterValue", `The filter '${f.name}' is invalid`);
      });
    }
    const { page, next } = this.#page(p, insts);
    // Render first (the answer shows the current state), then advance the lifecycle.
    const result: Record<string, X> = { reservationSet: page.map((i) => this.#reservationXml(i.reservationId, [i])), nextToken: next };
    for (const i of page) this.#tick(i, r);
    return result;
  }

  #runInstances(p: Node, r: RegionState, regionName: string): Record<string, X> {
    const min = int(p, "MinCount");
    const max = int(p, "MaxCount");
    if (min === undefined || max === undefined)
      throw new SimError("MissingParameter", "The request must contain the parameter MinCount and MaxCount");
    if (min < 1 || max < min) throw new SimError("InvalidParameterValue", "MinCount and MaxCount must be at least 1, MaxCount >= MinCount");
    const token = str(p, "ClientToken");
    if (token !== undefined && (token.length > 64 || !/^[\x20-\x7e]+$/.test(token))) {
      throw new SimError("InvalidParameterValue", "ClientToken must be at most 64 ASCII characters");
    }
    // Idempotency as EC2 does it: same token + same parameters → the original reservation;
    // same token + different parameters → IdempotentParameterMismatch.
    const fingerprint = createHash("sha256")
      .update(JSON.stringify(Object.entries(p).sort(([a], [b]) => a.localeCompare(b))))
      .digest("hex");
    if (token !== undefined) {
      const prior = r.tokens.get(token);
      if (prior) {
        if (prior.fingerprint !== fingerprint) {
          throw new SimError(
            "IdempotentParameterMismatch",
            "The client token you have provided is associated with a resource that is already created with different parameters.",
          );
        }
        const insts = prior.instanceIds.map((id) => r.instances.get(id)).filter((i): i is SimInstance => i !== undefined);
        return this.#reservationXml(prior.reservationId, insts) as Record<string, X>;
      }
    }
    const imageId = need(p, "ImageId");
    const image = r.images.find((i) => i.id === imageId);
    if (!image) throw new SimError("InvalidAMIID.NotFound", `The image id '[${imageId}]' does not exist`);
    const type = str(p, "InstanceType") ?? "m1.small";
    const spec = this.opts.instanceTypes.includes(type) ? SIM_INSTANCE_TYPES[type] : undefined;
    if (!spec && (SIM_INSTANCE_TYPES[type] || ELSEWHERE_INSTANCE_TYPES.includes(type))) {
      throw new SimError(
        "Unsupported",
        `Your requested instance type (${type}) is not supported in your requested Availability Zone (${regionName}a). Please retry your request by not specifying an Availability Zone or choosing ${regionName}b, ${regionName}c.`,
      );
    }
    if (!spec) throw new SimError("InvalidParameterValue", `Invalid value '${type}' for InstanceType.`);
    if (spec.arch !== image.arch) {
      throw new SimError(
        "InvalidParameterValue",
        `The architecture '${spec.arch}' of the specified instance type does not match the architecture '${image.arch}' of the specified AMI.`,
      );
    }
    const userData = str(p, "UserData") ?? "";
    if (userData && !/^[A-Za-z0-9+/]*={0,2}$/.test(userData))
      throw new SimError("InvalidUserData.Malformed", "Invalid BASE64 encoding of user data.");
    if (Buffer.from(userData, "base64").length > 16384) throw new SimError("InvalidParameterValue", "User data is limited to 16384 bytes");
    const groupIds = strings(p, "SecurityGroupId");
    const groups = groupIds.map((id) => {
      const g = [...r.groups.values()].find((x) => x.id === id);
      if (!g) throw new SimError("InvalidGroup.NotFound", `The security group '${id}' does not exist in default VPC 'vpc-0default'`);
      return g;
    });
    if (groups.length === 0) groups.push(r.groups.get("default") as SimGroup);
    const keyName = str(p, "KeyName");
    if (keyName !== undefined && !r.keys.has(keyName))
      throw new SimError("InvalidKeyPair.NotFound", `The key pair '${keyName}' does not exist`);
    const bdm = list(p, "BlockDeviceMapping");
    let rootSize = image.sizeGb;
    let volumeType = "gp2";
    for (const m of bdm) {
      const dev = need(m, "DeviceName");
      const size = int(obj(m, "Ebs"), "VolumeSize");
      if (dev === image.rootDeviceName && size !== undefined) {
        if (size < image.sizeGb)
          throw new SimError(
            "InvalidBlockDeviceMapping",
            `Volume of size ${size}GB is smaller than snapshot, expect size >= ${image.sizeGb}GB`,
          );
        rootSize = size;
        volumeType = str(obj(m, "Ebs"), "VolumeType") ?? "gp2";
      }
    }
    const used = [...r.instances.values()]
      .filter((i) => i.state === "pending" || i.state === "running")
      .reduce((n, i) => n + (SIM_INSTANCE_TYPES[i.type]?.vcpus ?? 0), 0);
    if (used + spec.vcpus * min > this.opts.vcpuLimit) {
      throw new SimError(
        "VcpuLimitExceeded",
        `You have requested more vCPU capacity than your current vCPU limit of ${this.opts.vcpuLimit} allows for the instance bucket that the specified instance type belongs to.`,
      );
    }
    const tags = tagSpecs(p);
    for (const s of tags) {
      if (s.type !== "instance" && s.type !== "volume" && s.type !== "network-interface") {
        throw new SimError("InvalidParameterValue", `'${s.type}' is not a valid taggable resource type for this operation.`);
      }
    }
    const md = obj(p, "MetadataOptions");
    const reservationId = this.#id("r");
    const insts: SimInstance[] = [];
    for (let n = 0; n < max; n++) {
      const id = this.#id("i");
      const inst: SimInstance = {
        id,
        reservationId,
        region: regionName,
        az: `${regionName}a`,
        imageId,
        type,
        state: "pending",
        seen: 0,
        invisibleLeft: this.opts.invisibleDescribes,
        ...(keyName ? { keyName } : {}),
        groups: groups.map((g) => ({ id: g.id, name: g.name })),
        tags: tags.filter((s) => s.type === "instance").flatMap((s) => s.tags),
        launchTime: new Date(Date.UTC(2026, 0, 1, 0, 0, this.#seq)),
        ...(token !== undefined ? { clientToken: token } : {}),
        userData,
        privateIp: `172.31.${this.#seq % 250}.${(n % 250) + 4}`,
        metadata: {
          httpTokens: str(md, "HttpTokens") ?? "optional",
          httpEndpoint: str(md, "HttpEndpoint") ?? "enabled",
          hopLimit: int(md, "HttpPutResponseHopLimit") ?? 1,
        },
        rootDevice: { name: image.rootDeviceName, volumeId: this.#id("vol"), sizeGb: rootSize, volumeType },
        reboots: 0,
      };
      r.instances.set(id, inst);
      insts.push(inst);
    }
    if (token !== undefined) r.tokens.set(token, { reservationId, instanceIds: insts.map((i) => i.id), fingerprint });
    return this.#reservationXml(reservationId, insts) as Record<string, X>;
  }

  #terminate(p: Node, r: RegionState): Record<string, X> {
    const ids = strings(p, "InstanceId");
    if (ids.length === 0) throw new SimError("MissingParameter", "The request must contain the parameter InstanceId");
    const insts = this.#instancesById(r, ids, true);
    return {
      instancesSet: insts.map((i) => {
        const previous = i.state;
        if (i.state !== "terminated" && i.state !== "shutting-down") {
          i.state = "shutting-down";
          i.seen = 0;
        }
        return {
          instanceId: i.id,
          currentState: { code: STATE_CODE[i.state], name: i.state },
          previousState: { code: STATE_CODE[previous], name: previous },
        };
      }),
    };
  }

  #groupXml(g: SimGroup): X {
    return {
      ownerId: this.opts.accountId,
      groupId: g.id,
      groupName: g.name,
      groupDescription: g.description,
      vpcId: g.vpcId,
      ipPermissions: g.ingress.map((rule) => ({
        ipProtocol: rule.protocol,
        fromPort: rule.from,
        toPort: rule.to,
        groups: [],
        ipRanges: rule.v4.map((cidrIp) => ({ cidrIp })),
        ipv6Ranges: rule.v6.length ? rule.v6.map((cidrIpv6) => ({ cidrIpv6 })) : undefined,
        prefixListIds: [],
      })),
      ipPermissionsEgress: [{ ipProtocol: "-1", groups: [], ipRanges: [{ cidrIp: "0.0.0.0/0" }], prefixListIds: [] }],
      tagSet: tagSet(g.tags),
    };
  }

  #createGroup(p: Node, r: RegionState): Record<string, X> {
    const name = need(p, "GroupName");
    const description = need(p, "GroupDescription");
    if (name.length > 255 || /^sg-/i.test(name)) throw new SimError("InvalidParameterValue", "Invalid security group name");
    if (description.length > 255 || !/^[\x20-\x7e]*$/.test(description))
      throw new SimError("InvalidParameterValue", "Invalid security group description");
    if (r.groups.has(name))
      throw new SimError("InvalidGroup.Duplicate", `The security group '${name}' already exists for VPC 'vpc-0default'`);
    const specs = tagSpecs(p);
    for (const s of specs)
      if (s.type !== "security-group")
        throw new SimError("InvalidParameterValue", `'${s.type}' is not a valid taggable resource type for this operation.`);
    const g: SimGroup = {
      id: this.#id("sg"),
      name,
      description,
      vpcId: str(p, "VpcId") ?? "vpc-0default",
      tags: specs.flatMap((s) => s.tags),
      ingress: [],
      busyLeft: 0,
      invisibleLeft: this.opts.invisibleGroupDescribes,
    };
    r.groups.set(name, g);
    return { groupId: g.id, tagSet: tagSet(g.tags) };
  }

  #findGroup(r: RegionState, p: Node): SimGroup {
    const id = str(p, "GroupId");
    const name = str(p, "GroupName");
    const g = [...r.groups.values()].find(
      (x) => (id !== undefined && x.id === id) || (id === undefined && name !== undefined && x.name === name),
    );
    if (!id && !name) throw new SimError("MissingParameter", "GroupId or GroupName is required");
    if (!g) throw new SimError("InvalidGroup.NotFound", `The security group '${id ?? name}' does not exist`);
    return g;
  }

  #describeGroups(p: Node, r: RegionState): Record<string, X> {
    const ids = strings(p, "GroupId");
    const names = strings(p, "GroupName");
    let groups = [...r.groups.values()].filter(
      (g) => (ids.length === 0 || ids.includes(g.id)) && (names.length === 0 || names.includes(g.name)),
    );
    if (ids.length && groups.length < ids.length)
      throw new SimError("InvalidGroup.NotFound", `The security group '${ids.join(",")}' does not exist`);
    const fs = filters(p);
    if (fs.some((f) => f.name.startsWith("tag"))) {
      const hidden = groups.filter((g) => g.invisibleLeft > 0);
      for (const g of hidden) g.invisibleLeft--;
      groups = groups.filter((g) => !hidden.includes(g));
    }
    for (const f of fs) {
      groups = groups.filter((g) => {
        const t = tagFilter(f, g.tags);
        if (t !== undefined) return t;
        if (f.name === "group-name") return matchAny(f.values, g.name);
        if (f.name === "group-id") return f.values.includes(g.id);
        if (f.name === "vpc-id") return f.values.includes(g.vpcId);
        throw new SimError("InvalidParameterValue", `The filter '${f.name}' is invalid`);
      });
    }
    const { page, next } = this.#page(p, groups, "MaxResults", 5, 1000);
    return { securityGroupInfo: page.map((g) => this.#groupXml(g)), nextToken: next };
  }

  #authorizeIngress(p: Node, r: RegionState): Record<string, X> {
    const g = this.#findGroup(r, p);
    const perms = list(p, "IpPermissions");
    if (perms.length === 0) throw new SimError("MissingParameter", "IpPermissions is required");
    const added = perms.map((perm) => {
      const protocol = need(perm, "IpProtocol");
      const from = int(perm, "FromPort");
      const to = int(perm, "ToPort");
      if (!["tcp", "udp", "icmp", "-1", "6", "17"].includes(protocol))
        throw new SimError("InvalidParameterValue", `Invalid IP protocol ${protocol}`);
      if (protocol !== "-1" && (from === undefined || to === undefined || from < 0 || to > 65535 || from > to)) {
        throw new SimError("InvalidParameterValue", "Invalid port range");
      }
      const v4 = list(perm, "IpRanges").map((x) => need(x, "CidrIp"));
      const v6 = list(perm, "Ipv6Ranges").map((x) => need(x, "CidrIpv6"));
      for (const c of v4)
        if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(c)) throw new SimError("InvalidParameterValue", `CIDR block ${c} is malformed`);
      for (const c of v6)
        if (!/^[0-9a-f:]+\/\d{1,3}$/i.test(c)) throw new SimError("InvalidParameterValue", `CIDR block ${c} is malformed`);
      if (v4.length + v6.length === 0) throw new SimError("MissingParameter", "A source is required");
      return { protocol, from: from ?? -1, to: to ?? -1, v4, v6 };
    });
    for (const a of added) {
      const dup = g.ingress.some(
        (e) => e.protocol === a.protocol && e.from === a.from && e.to === a.to && a.v4.some((c) => e.v4.includes(c)),
      );
      if (dup)
        throw new SimError(
          "InvalidPermission.Duplicate",
          `the specified rule "peer: ${a.v4[0]}, TCP, from port: ${a.from}" already exists`,
        );
    }
    g.ingress.push(...added);
    return {
      return: true,
      securityGroupRuleSet: added.flatMap((a) =>
        [...a.v4.map((c) => ({ cidrIpv4: c })), ...a.v6.map((c) => ({ cidrIpv6: c }))].map((cidr) => ({
          securityGroupRuleId: this.#id("sgr"),
          groupId: g.id,
          groupOwnerId: this.opts.accountId,
          isEgress: false,
          ipProtocol: a.protocol,
          fromPort: a.from,
          toPort: a.to,
          ...cidr,
        })),
      ),
    };
  }

  #deleteGroup(p: Node, r: RegionState): Record<string, X> {
    const g = this.#findGroup(r, p);
    if (g.name === "default") throw new SimError("CannotDelete", 'the specified group: "default" name cannot be deleted by a user');
    const holders = [...r.instances.values()].filter((i) => i.state !== "terminated" && i.groups.some((x) => x.id === g.id));
    if (holders.length > 0 || g.busyLeft > 0) {
      if (holders.length === 0) g.busyLeft--;
      throw new SimError("DependencyViolation", `resource ${g.id} has a dependent object`);
    }
    r.groups.delete(g.name);
    return { return: true };
  }

  #describeKeys(p: Node, r: RegionState): Record<string, X> {
    const names = strings(p, "KeyName");
    const ids = strings(p, "KeyPairId");
    let keys = [...r.keys.values()].filter(
      (k) => (names.length === 0 || names.includes(k.name)) && (ids.length === 0 || ids.includes(k.id)),
    );
    if (names.length && keys.length < names.length)
      throw new SimError("InvalidKeyPair.NotFound", `The key pair '${names.join(",")}' does not exist`);
    for (const f of filters(p)) {
      keys = keys.filter((k) => {
        const t = tagFilter(f, k.tags);
        if (t !== undefined) return t;
        if (f.name === "key-name") return matchAny(f.values, k.name);
        throw new SimError("InvalidParameterValue", `The filter '${f.name}' is invalid`);
      });
    }
    return {
      keySet: keys.map((k) => ({
        keyPairId: k.id,
        keyFingerprint: k.fingerprint,
        keyName: k.name,
        keyType: k.material.startsWith("ssh-rsa") ? "rsa" : "ed25519",
        tagSet: tagSet(k.tags),
      })),
    };
  }

  #importKey(p: Node, r: RegionState): Record<string, X> {
    const name = need(p, "KeyName");
    const material = Buffer.from(need(p, "PublicKeyMaterial"), "base64").toString("utf8");
    if (!/^(ssh-rsa|ssh-ed25519) [A-Za-z0-9+/]+=*( [^\n]*)?\n?$/.test(material)) {
      throw new SimError("InvalidKey.Format", "Key is not in valid OpenSSH public key format");
    }
    if (r.keys.has(name)) throw new SimError("InvalidKeyPair.Duplicate", `The keypair '${name}' already exists.`);
    const specs = tagSpecs(p);
    for (const s of specs)
      if (s.type !== "key-pair")
        throw new SimError("InvalidParameterValue", `'${s.type}' is not a valid taggable resource type for this operation.`);
    const fingerprint = (createHash("md5").update(material).digest("hex").match(/../g) ?? []).join(":");
    const key: SimKey = { id: this.#id("key"), name, fingerprint, material, tags: specs.flatMap((s) => s.tags) };
    r.keys.set(name, key);
    return { keyFingerprint: key.fingerprint, keyName: key.name, keyPairId: key.id, tagSet: tagSet(key.tags) };
  }
}
