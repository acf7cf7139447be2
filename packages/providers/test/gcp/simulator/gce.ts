// Compute Engine v1 routes the driver uses: zones and aggregated machine types (paged, with the
// server-side `name eq "<regex>"` filter), instances insert/get/delete/reset and their aggregated
// list filtered by label, firewalls insert/list/delete, and zone/global operations with `/wait`.
// Mutations answer with an Operation; a repeated `requestId` answers the first one and does
// nothing again. Operations can be made slow or to end with an error (a quota, say).

import { randomUUID } from "node:crypto";
import type { Route, RouteContext, SimResponse } from "../../simulator/core.ts";
import { route } from "../../simulator/shared.ts";

type Json = Record<string, unknown>;

export const gceError = (code: number, reason: string, message: string): SimResponse => ({
  status: code,
  body: { error: { code, message, errors: [{ message, domain: "global", reason }] } },
});

export interface Op {
  id: string;
  name: string;
  zone?: string;
  operationType: string;
  targetLink: string;
  status: "PENDING" | "RUNNING" | "DONE";
  pollsLeft: number;
  error?: { errors: { code: string; message: string }[] };
  done(): void;
  failed(): void;
}

export interface OpFault {
  operationType: string;
  /** Only operations on targets matching this (e.g. /\/instances\//). */
  target?: RegExp;
  error?: { code: string; message: string };
  extraPolls?: number;
}

export interface GceWorld {
  project: string;
  zones: { name: string; region: string; status: "UP" | "DOWN" }[];
  machineTypes: Record<string, { cpus: number; memoryMb: number; zones: string[] }>;
  pageSize: number;
  instances: Map<string, Json>;
  firewalls: Map<string, Json>;
  operations: Map<string, Op>;
  byRequestId: Map<string, Op>;
  opFaults: OpFault[];
  opPolls: number;
  bootPolicy(s: { polls: number; created: number }, now: number): boolean;
  nextIp(): string;
}

const regexFilter = (filter: string | null): RegExp | undefined => {
  const m = /^name eq "?(.*?)"?$/.exec(filter ?? "");
  return m?.[1] !== undefined ? new RegExp(`^(?:${m[1]})$`) : undefined;
};

/** An aggregated list's `items`: "zones/<zone>" → { <field>: [...] }. */
function groupByZone(entries: { zone: string; item: Json }[], field: string): Record<string, Json> {
  const items: Record<string, Json> = {};
  for (const { zone, item } of entries) {
    const key = `zones/${zone}`;
    const scoped = items[key] ?? { [field]: [] };
    items[key] = scoped;
    (scoped[field] as Json[]).push(item);
  }
  return items;
}

/** Pages a list by `maxResults` / `pageToken` (the offset, as a string). */
function paged<T>(items: T[], c: RouteContext, size: number): { page: T[]; next?: string } {
  const max = Math.min(Number(c.query.get("maxResults") ?? size) || size, size);
  const start = Number(c.query.get("pageToken") ?? "0") || 0;
  const page = items.slice(start, start + max);
  return { page, ...(start + max < items.length ? { next: String(start + max) } : {}) };
}

export function gceRoutes(w: GceWorld): Route[] {
  const base = "/projects/:project";
  const self = (c: RouteContext, path: string) => `${c.apiUrl}/projects/${w.project}/${path}`;
  const scoped =
    (fn: (c: RouteContext) => SimResponse) =>
    (c: RouteContext): SimResponse =>
      c.params.project === w.project ? fn(c) : gceError(404, "notFound", `The resource 'projects/${c.params.project ?? ""}' was not found`);

  const opView = (c: RouteContext, op: Op): Json => ({
    kind: "compute#operation",
    id: op.id,
    name: op.name,
    operationType: op.operationType,
    targetLink: op.targetLink,
    status: op.status,
    progress: op.status === "DONE" ? 100 : 0,
    ...(op.zone ? { zone: self(c, `zones/${op.zone}`) } : {}),
    ...(op.error && op.status === "DONE" ? { error: op.error } : {}),
    selfLink: self(c, op.zone ? `zones/${op.zone}/operations/${op.name}` : `global/operations/${op.name}`),
  });

  /** Starts (or, for a repeated requestId, finds) an operation. */
  const mutate = (
    c: RouteContext,
    o: { type: string; zone?: string; target: string },
    effect: () => SimResponse | undefined,
    done: () => void,
    failed: () => void,
  ): SimResponse => {
    const requestId = c.query.get("requestId");
    const again = requestId ? w.byRequestId.get(requestId) : undefined;
    if (again) return { status: 200, body: opView(c, again) };
    const refused = effect();
    if (refused) return refused;
    const fi = w.opFaults.findIndex((f) => f.operationType === o.type && (!f.target || f.target.test(o.target)));
    const fault = fi >= 0 ? w.opFaults.splice(fi, 1)[0] : undefined;
    const op: Op = {
      id: String(Math.floor(1e15 + Math.random() * 1e15)),
      name: `operation-${Date.now()}-${randomUUID().slice(0, 8)}`,
      ...(o.zone ? { zone: o.zone } : {}),
      operationType: o.type,
      targetLink: o.target,
      status: "RUNNING",
      pollsLeft: w.opPolls + (fault?.extraPolls ?? 0),
      ...(fault?.error ? { error: { errors: [fault.error] } } : {}),
      done,
      failed,
    };
    w.operations.set(op.name, op);
    if (requestId) w.byRequestId.set(requestId, op);
    return { status: 200, body: opView(c, op) };
  };

  const wait = (c: RouteContext): SimResponse => {
    const op = w.operations.get(c.params.op ?? "");
    if (!op) return gceError(404, "notFound", `The resource 'operations/${c.params.op ?? ""}' was not found`);
    if (op.status !== "DONE") {
      if (op.pollsLeft > 0) op.pollsLeft--;
      else {
        op.status = "DONE";
        if (op.error) op.failed();
        else op.done();
      }
    }
    return { status: 200, body: opView(c, op) };
  };

  const instanceView = (c: RouteContext, inst: Json): Json => {
    const { polls: _p, created: _c, _zone: zone, ...rest } = inst;
    if (rest.status === "STAGING" && w.bootPolicy(inst as { polls: number; created: number } & Json, c.now))
      inst.status = rest.status = "RUNNING";
    return { ...rest, zone: self(c, `zones/${String(zone)}`), machineType: self(c, String(inst.machineType)) };
  };

  return [
    route(
      "GET",
      `${base}/zones`,
      ["compute.zones.list"],
      scoped((c) => {
        const { page, next } = paged(w.zones, c, w.pageSize);
        return {
          status: 200,
          body: {
            kind: "compute#zoneList",
            items: page.map((z) => ({ kind: "compute#zone", name: z.name, status: z.status, region: self(c, `regions/${z.region}`) })),
            ...(next ? { nextPageToken: next } : {}),
          },
        };
      }),
      "list_regions",
    ),
    route(
      "GET",
      `${base}/aggregated/machineTypes`,
      ["compute.machineTypes.list"],
      scoped((c) => {
        const re = regexFilter(c.query.get("filter"));
        const all = Object.entries(w.machineTypes)
          .filter(([name]) => !re || re.test(name))
          .flatMap(([name, m]) => m.zones.map((zone) => ({ zone, name, m })));
        const { page, next } = paged(all, c, w.pageSize);
        const items = groupByZone(
          page.map(({ zone, name, m }) => ({
            zone,
            item: { kind: "compute#machineType", name, guestCpus: m.cpus, memoryMb: m.memoryMb, zone },
          })),
          "machineTypes",
        );
        return { status: 200, body: { kind: "compute#machineTypeAggregatedList", items, ...(next ? { nextPageToken: next } : {}) } };
      }),
      "list_sizes",
    ),
    route(
      "POST",
      `${base}/zones/:zone/instances`,
      ["compute.instances.create", "compute.disks.create"],
      scoped((c) => {
        const zone = c.params.zone ?? "";
        const body = (c.body ?? {}) as Json;
        const name = String(body.name ?? "");
        const key = `${zone}/${name}`;
        const target = self(c, `zones/${zone}/instances/${name}`);
        return mutate(
          c,
          { type: "insert", zone, target },
          () => {
            if (!w.zones.some((z) => z.name === zone))
              return gceError(400, "invalid", `Invalid value for field 'zone': '${zone}'. Unknown zone.`);
            if (w.instances.has(key))
              return gceError(409, "alreadyExists", `The resource 'projects/${w.project}/zones/${zone}/instances/${name}' already exists`);
            const mt = /^zones\/([^/]+)\/machineTypes\/([^/]+)$/.exec(String(body.machineType ?? ""));
            if (!mt || mt[1] !== zone || !w.machineTypes[mt[2] ?? ""]?.zones.includes(zone)) {
              return gceError(
                400,
                "invalid",
                `Invalid value for field 'resource.machineType': '${String(body.machineType)}'. Machine type with name '${mt?.[2] ?? ""}' does not exist in zone '${zone}'.`,
              );
            }
            const nics = structuredClone((body.networkInterfaces as Json[] | undefined) ?? []);
            for (const nic of nics) for (const ac of (nic.accessConfigs as Json[] | undefined) ?? []) ac.natIP = w.nextIp();
            w.instances.set(key, {
              ...structuredClone(body),
              kind: "compute#instance",
              id: String(Math.floor(1e18 + Math.random() * 1e18)),
              networkInterfaces: nics,
              status: "PROVISIONING",
              creationTimestamp: new Date(c.now).toISOString(),
              selfLink: target,
              _zone: zone,
              polls: 0,
              created: c.now,
            });
            return undefined;
          },
          () => {
            const inst = w.instances.get(key);
            if (inst) inst.status = "STAGING";
          },
          () => {
            w.instances.delete(key);
          },
        );
      }),
      "create_server",
    ),
    route(
      "GET",
      `${base}/zones/:zone/instances/:name`,
      ["compute.instances.get"],
      scoped((c) => {
        const inst = w.instances.get(`${c.params.zone ?? ""}/${c.params.name ?? ""}`);
        if (!inst)
          return gceError(
            404,
            "notFound",
            `The resource 'projects/${w.project}/zones/${c.params.zone ?? ""}/instances/${c.params.name ?? ""}' was not found`,
          );
        return { status: 200, body: instanceView(c, inst) };
      }),
      "get_server",
    ),
    route(
      "DELETE",
      `${base}/zones/:zone/instances/:name`,
      ["compute.instances.delete"],
      scoped((c) => {
        const key = `${c.params.zone ?? ""}/${c.params.name ?? ""}`;
        return mutate(
          c,
          { type: "delete", zone: c.params.zone ?? "", target: self(c, `zones/${key}`) },
          () => {
            const inst = w.instances.get(key);
            if (!inst)
              return gceError(
                404,
                "notFound",
                `The resource 'projects/${w.project}/zones/${key.replace("/", "/instances/")}' was not found`,
              );
            inst.status = "STOPPING";
            return undefined;
          },
          () => {
            w.instances.delete(key);
          },
          () => undefined,
        );
      }),
      "delete_server",
    ),
    route(
      "POST",
      `${base}/zones/:zone/instances/:name/reset`,
      ["compute.instances.reset"],
      scoped((c) => {
        const key = `${c.params.zone ?? ""}/${c.params.name ?? ""}`;
        return mutate(
          c,
          { type: "reset", zone: c.params.zone ?? "", target: self(c, `zones/${key}`) },
          () =>
            w.instances.has(key) ? undefined : gceError(404, "notFound", `The resource 'instances/${c.params.name ?? ""}' was not found`),
          () => undefined,
          () => undefined,
        );
      }),
      "reboot_server",
    ),
    route(
      "GET",
      `${base}/aggregated/instances`,
      ["compute.instances.list"],
      scoped((c) => {
        const filter = c.query.get("filter") ?? "";
        const eq = /^labels\.([a-z0-9_-]+) = "(.*)"$/.exec(filter);
        const has = /^labels\.([a-z0-9_-]+):\*$/.exec(filter);
        const all = [...w.instances.values()].filter((i) => {
          const labels = (i.labels as Record<string, string> | undefined) ?? {};
          if (eq?.[1]) return labels[eq[1]] === eq[2];
          if (has?.[1]) return has[1] in labels;
          return true;
        });
        const { page, next } = paged(all, c, w.pageSize);
        const items = groupByZone(
          page.map((inst) => ({ zone: String(inst._zone), item: instanceView(c, inst) })),
          "instances",
        );
        return { status: 200, body: { kind: "compute#instanceAggregatedList", items, ...(next ? { nextPageToken: next } : {}) } };
      }),
      "list_servers",
    ),
    route(
      "POST",
      `${base}/global/firewalls`,
      ["compute.firewalls.create", "compute.networks.updatePolicy"],
      scoped((c) => {
        const body = (c.body ?? {}) as Json;
        const name = String(body.name ?? "");
        return mutate(
          c,
          { type: "insert", target: self(c, `global/firewalls/${name}`) },
          () => {
            if (w.firewalls.has(name))
              return gceError(409, "alreadyExists", `The resource 'projects/${w.project}/global/firewalls/${name}' already exists`);
            if (body.network !== "global/networks/default")
              return gceError(400, "invalid", `Invalid value for field 'resource.network': '${String(body.network)}'.`);
            w.firewalls.set(name, {
              ...structuredClone(body),
              kind: "compute#firewall",
              id: String(Math.floor(1e15 + Math.random() * 1e15)),
              selfLink: self(c, `global/firewalls/${name}`),
              _pending: true,
            });
            return undefined;
          },
          () => {
            const fw = w.firewalls.get(name);
            if (fw) delete fw._pending;
          },
          () => {
            w.firewalls.delete(name);
          },
        );
      }),
      "create_firewall",
    ),
    route(
      "GET",
      `${base}/global/firewalls`,
      ["compute.firewalls.list"],
      scoped((c) => {
        const re = regexFilter(c.query.get("filter"));
        const all = [...w.firewalls.entries()].filter(([n]) => !re || re.test(n)).map(([, f]) => f);
        const { page, next } = paged(all, c, w.pageSize);
        return {
          status: 200,
          body: { kind: "compute#firewallList", items: page.map(({ _pending, ...f }) => f), ...(next ? { nextPageToken: next } : {}) },
        };
      }),
      "list_firewalls",
    ),
    route(
      "DELETE",
      `${base}/global/firewalls/:name`,
      ["compute.firewalls.delete", "compute.networks.updatePolicy"],
      scoped((c) => {
        const name = c.params.name ?? "";
        return mutate(
          c,
          { type: "delete", target: self(c, `global/firewalls/${name}`) },
          () =>
            w.firewalls.has(name)
              ? undefined
              : gceError(404, "notFound", `The resource 'projects/${w.project}/global/firewalls/${name}' was not found`),
          () => {
            w.firewalls.delete(name);
          },
          () => undefined,
        );
      }),
      "delete_firewall",
    ),
    route("POST", `${base}/zones/:zone/operations/:op/wait`, ["compute.zoneOperations.get"], scoped(wait), "get_action"),
    route("POST", `${base}/global/operations/:op/wait`, ["compute.globalOperations.get"], scoped(wait), "get_action"),
  ];
}
