// The Azure Resource Manager context every operation of the driver shares: the credential, the
// official SDK clients (compute, network) and a plain ARM client for the two reads the SDKs we use
// do not cover (locations, permissions), all on one pipeline with our throttle policy and no SDK
// retries (the worker owns retry policy, as for the other drivers).

import { ComputeManagementClient } from "@azure/arm-compute";
import { NetworkManagementClient } from "@azure/arm-network";
import { ServiceClient } from "@azure/core-client";
import { createPipelineRequest, type PipelinePolicy } from "@azure/core-rest-pipeline";
import { unlessNotFound } from "../common.ts";
import type { DriverOptions } from "../spec.ts";
import { type AzureCredentials, azureTokenCredential } from "./credentials.ts";
import { toProviderError } from "./errors.ts";
import { throttlePolicy } from "./throttle.ts";

export const ARM_SCOPE = "https://management.azure.com/.default";
const DEFAULT_ENDPOINT = "https://management.azure.com";
const DEFAULT_AUTHORITY = "https://login.microsoftonline.com";

export interface AzureDriverOptions extends DriverOptions<AzureCredentials> {
  /** Entra ID (login) endpoint; tests point it at the simulator's token endpoint. */
  authorityHost?: string;
  /** Pause between polls of a long-running operation when ARM gives no Retry-After (default 2 s). */
  pollIntervalMs?: number;
  /** Longest Retry-After the driver waits out inline before reporting rate_limited (default 2 s). */
  maxInlineRetryAfterMs?: number;
}

export interface ArmContext {
  creds: AzureCredentials;
  compute: ComputeManagementClient;
  network: NetworkManagementClient;
  rg: string;
  pollIntervalMs: number;
  timeoutMs: number;
  /** Options for every SDK call: a per-request timeout, and the LRO poll interval. */
  opts: { requestOptions: { timeout: number }; updateIntervalInMs: number };
  /** Runs an SDK call, turning its failures into ProviderErrors named after `op`. */
  call<T>(op: string, fn: () => Promise<T>): Promise<T>;
  /** Like call, but a 404 is `undefined`. */
  find<T>(op: string, fn: () => Promise<T>): Promise<T | undefined>;
  /** A GET on an ARM path the SDKs here do not cover; a non-2xx answer is a ProviderError. */
  armGet(op: string, path: string): Promise<unknown>;
}

export function createArmContext(o: AzureDriverOptions): ArmContext {
  const creds = o.credentials;
  const endpoint = (o.baseUrl ?? DEFAULT_ENDPOINT).replace(/\/+$/, "");
  const credential = azureTokenCredential(creds, o.authorityHost ?? DEFAULT_AUTHORITY);
  const timeoutMs = o.timeoutMs ?? 30_000;
  const policy: PipelinePolicy = throttlePolicy({ maxInlineWaitMs: o.maxInlineRetryAfterMs ?? 2000 });
  const common = {
    endpoint,
    credentialScopes: [ARM_SCOPE],
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [{ policy, position: "perRetry" as const }],
  };
  const compute = new ComputeManagementClient(credential, creds.subscriptionId, common);
  const network = new NetworkManagementClient(credential, creds.subscriptionId, common);
  const plain = new ServiceClient({ ...common, credential, baseUri: endpoint });
  const pollIntervalMs = o.pollIntervalMs ?? 2000;

  const call = async <T>(op: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toProviderError(err, op, timeoutMs);
    }
  };
  const find = <T>(op: string, fn: () => Promise<T>) => unlessNotFound(call(op, fn));
  const armGet = (op: string, path: string) =>
    call(op, async () => {
      const res = await plain.sendRequest(createPipelineRequest({ url: `${endpoint}${path}`, method: "GET", timeout: timeoutMs }));
      let body: unknown;
      try {
        body = res.bodyAsText ? JSON.parse(res.bodyAsText) : undefined;
      } catch {
        body = undefined;
      }
      if (res.status >= 200 && res.status < 300) return body;
      throw Object.assign(new Error("ARM request failed"), {
        name: "RestError",
        statusCode: res.status,
        code: (body as { error?: { code?: string } } | undefined)?.error?.code,
        details: body,
        response: { headers: res.headers, status: res.status },
      });
    });

  return {
    creds,
    compute,
    network,
    rg: creds.resourceGroup,
    pollIntervalMs,
    timeoutMs,
    opts: { requestOptions: { timeout: timeoutMs }, updateIntervalInMs: pollIntervalMs },
    call,
    find,
    armGet,
  };
}

/** The resource group's ARM path, for plain requests. */
export const rgPath = (ctx: ArmContext) =>
  `/subscriptions/${encodeURIComponent(ctx.creds.subscriptionId)}/resourceGroups/${encodeURIComponent(ctx.rg)}`;
