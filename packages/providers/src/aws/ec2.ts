// The per-driver EC2 context: credentials checked, the default region, the fetch transport, one
// EC2Client per region (SDK retries off), STS for role credentials, `call`/`callOr` that map AWS
// failures to ProviderError, the delete wait's backoff, and the driver's caches.

import { EC2Client, type EC2ClientConfig, type Image } from "@aws-sdk/client-ec2";
import type { DriverOptions } from "../spec.ts";
import {
  type AwsCredentials,
  type AwsIdentity,
  assumeRoleProvider,
  awsCredentialsSchema,
  type BaseCredentialsProvider,
  type StsOptions,
} from "./credentials.ts";
import { awsCode, toProviderError } from "./errors.ts";
import { DEFAULT_REGION, REGION_RE } from "./ids.ts";
import { fetchRequestHandler } from "./transport.ts";
import { invalid } from "./validate.ts";

export interface AwsDriverOptions extends DriverOptions<AwsCredentials> {
  /**
   * Role credentials only: the server's own AWS credentials used to call sts:AssumeRole.
   * Default: the SDK's default chain (AWS_ACCESS_KEY_ID…, profile, container/instance role).
   */
  baseCredentials?: BaseCredentialsProvider;
  /** STS endpoint. Default: `baseUrl` when that is set, else AWS's regional STS endpoint. */
  stsBaseUrl?: string;
  /** deleteServer waits for termination before deleting the security group: backoff from pollIntervalMs (default 2 s), at most 60 s of waiting by default, then a retryable conflict. */
  deleteWait?: { initialDelayMs?: number; maxDelayMs?: number; budgetMs?: number };
  /** Injectable for tests (the clock is DriverOptions.now). */
  sleep?: (ms: number) => Promise<void>;
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; code: string };
export interface BackoffState {
  delay: number;
  waited: number;
}

export interface Ec2Context {
  defaultRegion: string;
  sts: StsOptions;
  identity: AwsIdentity | (() => Promise<AwsIdentity>);
  wait: { initialDelayMs: number; maxDelayMs: number; budgetMs: number };
  client(region: string): EC2Client;
  /** One EC2 call, failures mapped to ProviderError. */
  call<T>(region: string, action: string, fn: (c: EC2Client) => Promise<T>): Promise<T>;
  /** Like call, but hands back the raw AWS error code instead of throwing for the codes listed. */
  callOr<T>(region: string, action: string, codes: string[], fn: (c: EC2Client) => Promise<T>): Promise<CallResult<T>>;
  /** Sleeps the next backoff step; false once the wait budget is spent. */
  backoff(state: BackoffState): Promise<boolean>;
  /** Per-driver caches (see lookups.ts). */
  imageCache: Map<string, Promise<Image>>;
  enabledRegions: Promise<string[]> | undefined;
}

export function createEc2Context(opts: AwsDriverOptions): Ec2Context {
  const parsed = awsCredentialsSchema.safeParse(opts.credentials);
  if (!parsed.success) {
    // zod's message names the field and the rule, never the value.
    throw invalid(`AWS credentials: ${parsed.error.issues.map((i) => `${i.path.join(".") || "credentials"}: ${i.message}`).join("; ")}`);
  }
  const creds = parsed.data;
  const defaultRegion = creds.region ?? DEFAULT_REGION;
  if (!REGION_RE.test(defaultRegion)) throw invalid(`"${defaultRegion.slice(0, 40)}" is not an AWS region code`);
  const requestHandler = fetchRequestHandler(opts.fetch ?? globalThis.fetch, opts.timeoutMs ?? 30_000);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = opts.now ?? Date.now;
  const wait = { initialDelayMs: opts.pollIntervalMs ?? 2_000, maxDelayMs: 15_000, budgetMs: 60_000, ...opts.deleteWait };
  const sts: StsOptions = {
    region: defaultRegion,
    endpoint: opts.stsBaseUrl ?? opts.baseUrl,
    requestHandler: requestHandler as StsOptions["requestHandler"],
    baseCredentials: opts.baseCredentials,
  };
  const identity: AwsIdentity | (() => Promise<AwsIdentity>) =
    creds.kind === "keys"
      ? { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }
      : assumeRoleProvider(creds, sts, now);

  const clients = new Map<string, EC2Client>();
  const client = (region: string): EC2Client => {
    let c = clients.get(region);
    if (!c) {
      const config: EC2ClientConfig = {
        region,
        credentials: identity,
        requestHandler,
        // The worker owns retry policy (backoff with jitter, Retry-After, attempt budget per job):
        // the SDK must not retry underneath it.
        maxAttempts: 1,
        ...(opts.baseUrl ? { endpoint: opts.baseUrl } : {}),
      };
      c = new EC2Client(config);
      clients.set(region, c);
    }
    return c;
  };

  async function call<T>(region: string, action: string, fn: (c: EC2Client) => Promise<T>): Promise<T> {
    try {
      return await fn(client(region));
    } catch (err) {
      throw toProviderError(err, action);
    }
  }

  async function callOr<T>(region: string, action: string, codes: string[], fn: (c: EC2Client) => Promise<T>): Promise<CallResult<T>> {
    try {
      return { ok: true, value: await fn(client(region)) };
    } catch (err) {
      const code = awsCode(err);
      if (code && codes.includes(code)) return { ok: false, code };
      throw toProviderError(err, action);
    }
  }

  async function backoff(state: BackoffState): Promise<boolean> {
    if (state.waited >= wait.budgetMs) return false;
    const d = Math.min(state.delay, wait.budgetMs - state.waited);
    await sleep(d);
    state.waited += d;
    state.delay = Math.min(state.delay * 1.6, wait.maxDelayMs);
    return true;
  }

  return {
    defaultRegion,
    sts,
    identity,
    wait,
    client,
    call,
    callOr,
    backoff,
    imageCache: new Map(),
    enabledRegions: undefined,
  };
}
