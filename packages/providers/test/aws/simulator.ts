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
import { ec2 } from "./simulator/ec2.ts";
import { FaultQueue } from "./simulator/faults.ts";
import {
  AUTH_RE,
  BAD_ACCESS_KEY,
  type Fault,
  newRegion,
  PROXY_502,
  type RegionState,
  type ResolvedOptions,
  SIM_ACCOUNT,
  SIM_INSTANCE_TYPES,
  type SimContext,
  type SimGroup,
  type SimInstance,
  type SimKey,
  type SimulatorOptions,
  type WireRecord,
} from "./simulator/state.ts";
import { sts } from "./simulator/sts.ts";
import { ec2Error, nest, requestId, SimError, str, stsError, type X, xml } from "./simulator/xml.ts";

export {
  BAD_ACCESS_KEY,
  DEBIAN_OWNER,
  ELSEWHERE_INSTANCE_TYPES,
  type Fault,
  type FaultKind,
  PROXY_502,
  SIM_ACCOUNT,
  SIM_INSTANCE_TYPES,
  type SimulatorOptions,
  type WireRecord,
} from "./simulator/state.ts";

export class Ec2Simulator {
  readonly log: WireRecord[] = [];
  readonly opts: ResolvedOptions;
  url = "";
  readonly #server: Server;
  readonly #regions = new Map<string, RegionState>();
  readonly #faults: FaultQueue;
  readonly #deny = new Map<string, Set<string>>();
  readonly #roles = new Map<string, { externalId: string }>();
  readonly #sessions = new Map<string, { token: string; principal: string; arn: string; expires: number }>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #seq = 0;
  readonly #ctx: SimContext;

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
    this.#faults = new FaultQueue(this.opts.seed);
    this.#ctx = {
      opts: this.opts,
      roles: this.#roles,
      sessions: this.#sessions,
      id: (prefix) => this.#id(prefix),
      seq: () => this.#seq,
      region: (name) => this.region(name),
    };
    for (const r of this.opts.regions) this.#regions.set(r.name, newRegion(this.#ctx));
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
    this.#faults.inject(fault);
  }
  clearFaults(): void {
    this.#faults.clear();
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
          ec2Error("InvalidParameterValue", `Duplicate parameter ${k}`),
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
      return this.#send(res, rec, 400, ec2Error("IncompleteSignature", "The request signature does not conform to AWS standards."));
    }
    const [, akid = "", , region = "", service = ""] = auth;
    rec.accessKeyId = akid;
    rec.region = region;
    if (service !== "ec2" && service !== "sts") {
      return this.#send(res, rec, 400, ec2Error("InvalidAction", `Unknown service ${service}`));
    }
    rec.service = service;
    const isSts = service === "sts";
    const err = (e: SimError) => (isSts ? stsError(e.code, e.message) : ec2Error(e.code, e.message));

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
    const before = this.#faults.take(service, action, params, "before");
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
      if (b.tokens < 1) return this.#send(res, rec, 503, ec2Error("RequestLimitExceeded", "Request limit exceeded."));
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
      const result = isSts ? sts(this.#ctx, action, tree, principal, arn) : ec2(this.#ctx, action, tree, region);
      body = isSts
        ? `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">${xml(`${action}Result`, result as X)}<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`
        : `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${requestId()}</requestId>${Object.entries(
            result as Record<string, X>,
          )
            .map(([k, v]) => xml(k, v))
            .join("")}</${action}Response>`;
    } catch (e) {
      if (!(e instanceof SimError)) throw e;
      status = e.status;
      body = err(e);
    }
    const after = this.#faults.take(service, action, params, "after");
    if (after) return this.#fault(res, rec, after, body, status);
    this.#send(res, rec, status, body, slowLabel);
  }

  #fault(res: ServerResponse, rec: Omit<WireRecord, "status" | "body">, f: Fault, body: string | undefined, status = 200): void {
    const label = f.label ?? f.kind;
    switch (f.kind) {
      case "server_error":
        if (f.status === 503)
          this.#send(res, rec, 503, ec2Error("Unavailable", "The server is overloaded and can't handle the request."), label);
        else this.#send(res, rec, f.status ?? 500, ec2Error("InternalError", "An internal error has occurred"), label);
        return;
      case "throttle":
        this.#send(res, rec, 503, ec2Error("RequestLimitExceeded", "Request limit exceeded."), label);
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
    res.writeHead(status, { "content-type": "text/xml;charset=UTF-8", "x-amzn-requestid": requestId() });
    res.end(body);
  }
}
