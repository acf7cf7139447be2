// The ARM simulator's resource store and long-running operations. Resources are kept as the
// wire body that created them (ARM JSON: `{location, tags, properties: {...}}`) plus what ARM
// adds (id, name, type, provisioningState); answers never include osProfile.customData, which
// ARM does not return. PUT and DELETE are long-running: 201/202 with an Azure-AsyncOperation URL
// polled until Succeeded (or a Failed the test injected), as ARM does.

import { randomUUID } from "node:crypto";
import type { SimResponse } from "../../simulator/core.ts";

export type Json = Record<string, unknown>;

export interface Resource {
  id: string;
  type: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  properties: Json;
  provisioningState: "Creating" | "Updating" | "Succeeded" | "Failed" | "Deleting";
  created: number;
  polls: number;
}

export interface LroFault {
  /** Resource type the fault applies to, e.g. "Microsoft.Compute/virtualMachines". */
  type: string;
  /** "Failed": the operation ends Failed with this error. */
  error?: { code: string; message: string };
  /** Extra InProgress answers before the end (a slow operation). */
  extraPolls?: number;
  /** Retry-After (seconds) on each answer while in progress. */
  retryAfterSeconds?: number;
}

interface Operation {
  id: string;
  pollsLeft: number;
  retryAfterSeconds: number | undefined;
  error: { code: string; message: string } | undefined;
  /** Runs when the operation ends well (the change becomes visible as done). */
  finish(): void;
  fail(): void;
  done: boolean;
  status: "InProgress" | "Succeeded" | "Failed";
}

export const armError = (status: number, code: string, message: string): SimResponse => ({ status, body: { error: { code, message } } });

export class ResourceStore {
  readonly resources = new Map<string, Resource>();
  readonly operations = new Map<string, Operation>();
  readonly lroFaults: LroFault[] = [];
  /** InProgress answers every operation gives before it ends (default 1). */
  lroPolls = 1;
  /** Resources deleted so far (type → count), for tests of teardown. */
  readonly deleted: string[] = [];

  get(id: string): Resource | undefined {
    return this.resources.get(id.toLowerCase());
  }

  ofType(type: string): Resource[] {
    return [...this.resources.values()].filter((r) => r.type.toLowerCase() === type.toLowerCase());
  }

  /** The resource as ARM answers it. */
  view(r: Resource): Json {
    const properties: Json = { ...r.properties, provisioningState: r.provisioningState };
    if (r.type === "Microsoft.Compute/virtualMachines") {
      const os = { ...(properties.osProfile as Json | undefined) };
      delete os.customData;
      properties.osProfile = os;
      properties.vmId = `${r.id.length.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
      properties.timeCreated = new Date(r.created).toISOString();
    }
    return { id: r.id, name: r.name, type: r.type, location: r.location, tags: r.tags, properties };
  }

  #takeFault(type: string): LroFault | undefined {
    const i = this.lroFaults.findIndex((f) => f.type.toLowerCase() === type.toLowerCase());
    return i < 0 ? undefined : this.lroFaults.splice(i, 1)[0];
  }

  /** Starts a long-running operation; the answer's headers point at it. */
  startOperation(apiUrl: string, sub: string, type: string, location: string, finish: () => void, fail: () => void) {
    const fault = this.#takeFault(type);
    const id = randomUUID();
    this.operations.set(id, {
      id,
      pollsLeft: this.lroPolls + (fault?.extraPolls ?? 0),
      retryAfterSeconds: fault?.retryAfterSeconds,
      error: fault?.error,
      finish,
      fail,
      done: false,
      status: "InProgress",
    });
    const ns = type.split("/")[0] ?? "Microsoft.Resources";
    const url = `${apiUrl}/subscriptions/${sub}/providers/${ns}/locations/${location}/operations/${id}?api-version=2024-01-01`;
    const headers: Record<string, string> = { "azure-asyncoperation": url, location: url };
    if (fault?.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
    return headers;
  }

  poll(id: string): SimResponse {
    const op = this.operations.get(id);
    if (!op) return armError(404, "NotFound", `Operation ${id} not found.`);
    if (!op.done && op.pollsLeft > 0) {
      op.pollsLeft--;
      const headers: Record<string, string> = op.retryAfterSeconds !== undefined ? { "retry-after": String(op.retryAfterSeconds) } : {};
      return { status: 200, body: { id, name: id, status: "InProgress" }, headers };
    }
    if (!op.done) {
      op.done = true;
      if (op.error) {
        op.status = "Failed";
        op.fail();
      } else {
        op.status = "Succeeded";
        op.finish();
      }
    }
    return {
      status: 200,
      body: { id, name: id, status: op.status, ...(op.error && op.status === "Failed" ? { error: op.error } : {}) },
    };
  }
}
