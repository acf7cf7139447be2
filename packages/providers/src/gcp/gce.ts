// The Compute Engine context every operation of the driver shares: the official
// @google-cloud/compute clients over REST (not gRPC), authenticated by the service account key's
// self-signed JWTs; a call wrapper with our timeout and error mapping (no SDK retries: the worker
// owns retry policy); and waiting on zone/global operations, which Compute Engine answers
// mutations with.

import { createHash } from "node:crypto";
import {
  FirewallsClient,
  GlobalOperationsClient,
  InstancesClient,
  MachineTypesClient,
  ZoneOperationsClient,
  ZonesClient,
} from "@google-cloud/compute";
import type { JWT } from "google-auth-library";
import { unlessNotFound } from "../common.ts";
import { type DriverOptions, ProviderError } from "../spec.ts";
import { type GcpCredentials, gcpAuthClient } from "./credentials.ts";
import { operationError, toProviderError } from "./errors.ts";

const DEFAULT_ENDPOINT = "https://compute.googleapis.com";
const DEFAULT_RESOURCE_MANAGER = "https://cloudresourcemanager.googleapis.com";
/** Longest a single operations.wait may take (Google answers within about 2 minutes). */
const WAIT_TIMEOUT_MS = 150_000;

export interface GcpDriverOptions extends DriverOptions<GcpCredentials> {
  /** Cloud Resource Manager (permission checks); tests point it at the simulator. */
  resourceManagerUrl?: string;
  /** The VPC network servers join (default "default"). */
  network?: string;
}

interface Operation {
  name?: string | null;
  status?: unknown;
  error?: { errors?: { code?: string | null; message?: string | null }[] | null } | null;
}

export interface GceContext {
  project: string;
  network: string;
  auth: JWT;
  resourceManagerUrl: string;
  timeoutMs: number;
  instances: InstancesClient;
  firewalls: FirewallsClient;
  zones: ZonesClient;
  machineTypes: MachineTypesClient;
  /** Call options for every SDK call: no SDK retries. */
  callOptions: { maxRetries: number; timeout: number; autoPaginate: boolean };
  call<T>(op: string, fn: () => Promise<T>, ms?: number): Promise<T>;
  find<T>(op: string, fn: () => Promise<T>): Promise<T | undefined>;
  /** Waits until a mutation's operation is DONE; its `error` is thrown as a ProviderError. */
  waitZone(op: string, zone: string, operation: Operation | null | undefined): Promise<void>;
  waitGlobal(op: string, operation: Operation | null | undefined): Promise<void>;
}

/** A stable request id (UUID form) for a mutation: retries of the same mutation reuse it. */
export function requestIdFor(...parts: string[]): string {
  const h = createHash("sha256")
    .update(`clawcloud:${parts.join(":")}`)
    .digest("hex");
  // Version 5-style bits so it is a valid, non-zero UUID.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16] ?? "0", 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function createGceContext(o: GcpDriverOptions): GceContext {
  const url = new URL(o.baseUrl ?? DEFAULT_ENDPOINT);
  const auth = gcpAuthClient(o.credentials);
  const https = url.protocol === "https:";
  // The SDK takes the host alone, the port and the protocol separately ("host:port" is not parsed).
  const clientOpts = {
    apiEndpoint: url.hostname,
    port: url.port ? Number(url.port) : https ? 443 : 80,
    protocol: https ? "https" : "http",
    fallback: true,
    authClient: auth,
  };
  const timeoutMs = o.timeoutMs ?? 30_000;
  const zoneOps = new ZoneOperationsClient(clientOpts);
  const globalOps = new GlobalOperationsClient(clientOpts);
  const project = o.credentials.project_id;
  const callOptions = { maxRetries: 0, timeout: Math.max(timeoutMs, WAIT_TIMEOUT_MS), autoPaginate: false };

  const call = async <T>(op: string, fn: () => Promise<T>, ms = timeoutMs): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ProviderError({ provider: "gcp", kind: "unavailable", message: `GCP ${op}: no answer within ${ms} ms` })),
        ms,
      );
    });
    try {
      return await Promise.race([fn(), timeout]);
    } catch (err) {
      throw toProviderError(err, op);
    } finally {
      clearTimeout(timer);
    }
  };
  const find = <T>(op: string, fn: () => Promise<T>) => unlessNotFound(call(op, fn));
  // operations.wait blocks server-side up to about 2 minutes and answers with the operation
  // as it is then: call it until DONE.
  const waitLoop = async (op: string, first: Operation | null | undefined, next: (name: string) => Promise<Operation>) => {
    let cur = first;
    for (let i = 0; cur && cur.status !== "DONE" && i < 30; i++) {
      const name = cur.name;
      if (!name) break;
      // operations.wait holds the request up to about 2 minutes by design: not a slow answer.
      cur = await call(op, () => next(name), Math.max(timeoutMs, WAIT_TIMEOUT_MS));
    }
    if (cur?.error?.errors?.length) throw operationError(op, cur.error);
    if (cur && cur.status !== "DONE") {
      throw new ProviderError({ provider: "gcp", kind: "unavailable", message: `GCP ${op}: the operation is still running; try again` });
    }
  };

  return {
    project,
    network: o.network ?? "default",
    auth,
    resourceManagerUrl: (o.resourceManagerUrl ?? DEFAULT_RESOURCE_MANAGER).replace(/\/+$/, ""),
    timeoutMs,
    instances: new InstancesClient(clientOpts),
    firewalls: new FirewallsClient(clientOpts),
    zones: new ZonesClient(clientOpts),
    machineTypes: new MachineTypesClient(clientOpts),
    callOptions,
    call,
    find,
    waitZone: (op, zone, first) =>
      waitLoop(op, first, async (operation) => (await zoneOps.wait({ project, zone, operation }, callOptions))[0] as Operation),
    waitGlobal: (op, first) =>
      waitLoop(op, first, async (operation) => (await globalOps.wait({ project, operation }, callOptions))[0] as Operation),
  };
}
