// Azure Resource Manager routes the driver uses: locations, the resource group and the caller's
// permissions on it, compute SKUs (paged by nextLink), and PUT/GET/DELETE/list of network security
// groups, virtual networks, public IPs, NICs and VMs, with the checks ARM makes that the driver's
// correctness depends on: references must exist, a resource in use cannot be deleted, a VM PUT
// with If-None-Match: * fails 412 when the VM exists, a size must be offered in the location.

import type { Route, RouteContext, SimResponse } from "../../simulator/core.ts";
import { route } from "../../simulator/shared.ts";
import type { SimOperation } from "../../simulator/types.ts";
import { armError, type Json, type Resource, type ResourceStore } from "./resources.ts";

export interface ArmWorld {
  subscriptionId: string;
  resourceGroup: string;
  /** Physical locations, plus logical ones ARM also lists. */
  locations: { name: string; displayName: string; physicalLocation?: string; logical?: boolean }[];
  /** VM SKUs offered (name → locations), then other SKUs that pad the list. */
  vmSkus: Record<string, string[]>;
  otherSkus: number;
  skuPageSize: number;
  store: ResourceStore;
  /** Role actions of the caller, for Microsoft.Authorization/permissions. */
  permissionsOf(label: string): { actions: string[]; notActions: string[] }[];
  bootPolicy(r: { polls: number; created: number }, now: number): boolean;
  nextIp(): string;
}

const NS_TYPES: Record<string, { type: string; ops: [SimOperation?, SimOperation?, SimOperation?, SimOperation?] }> = {
  networkSecurityGroups: {
    type: "Microsoft.Network/networkSecurityGroups",
    ops: ["create_firewall", undefined, "delete_firewall", "list_firewalls"],
  },
  virtualNetworks: { type: "Microsoft.Network/virtualNetworks", ops: [] },
  publicIPAddresses: { type: "Microsoft.Network/publicIPAddresses", ops: [] },
  networkInterfaces: { type: "Microsoft.Network/networkInterfaces", ops: [] },
  virtualMachines: { type: "Microsoft.Compute/virtualMachines", ops: ["create_server", "get_server", "delete_server", "list_servers"] },
};

const refId = (v: unknown) => (v && typeof v === "object" ? String((v as Json).id ?? "") : "");

/** Ids a resource refers to (subnet, NSG, public IP, NIC). */
function referencesOf(r: Resource): string[] {
  const p = r.properties;
  const out: string[] = [];
  if (p.networkSecurityGroup) out.push(refId(p.networkSecurityGroup));
  for (const s of (p.subnets as Json[] | undefined) ?? []) if (s.properties) out.push(refId((s.properties as Json).networkSecurityGroup));
  for (const c of (p.ipConfigurations as Json[] | undefined) ?? []) {
    const cp = (c.properties as Json | undefined) ?? {};
    out.push(refId(cp.subnet), refId(cp.publicIPAddress));
  }
  const nics = ((p.networkProfile as Json | undefined)?.networkInterfaces as Json[] | undefined) ?? [];
  for (const n of nics) out.push(refId(n));
  return out.filter(Boolean).map((x) => x.toLowerCase());
}

function checkReferences(w: ArmWorld, body: Json): SimResponse | undefined {
  const probe = { properties: (body.properties as Json | undefined) ?? {} } as Resource;
  for (const ref of referencesOf(probe)) {
    const base = ref.replace(/\/subnets\/[^/]+$/, "");
    if (!w.store.get(base)) return armError(400, "InvalidResourceReference", `Resource ${ref} referenced by the request was not found.`);
  }
  return undefined;
}

function vmProblems(w: ArmWorld, location: string, body: Json): SimResponse | undefined {
  const p = (body.properties as Json | undefined) ?? {};
  const size = String((p.hardwareProfile as Json | undefined)?.vmSize ?? "");
  if (!w.vmSkus[size]?.includes(location)) {
    return armError(
      400,
      "InvalidParameter",
      `The requested VM size ${size} is not available in the current region. The sizes available in the current region are: ${Object.keys(w.vmSkus).join(", ")}.`,
    );
  }
  const os = (p.osProfile as Json | undefined) ?? {};
  const linux = (os.linuxConfiguration as Json | undefined) ?? {};
  const keys = ((linux.ssh as Json | undefined)?.publicKeys as unknown[] | undefined) ?? [];
  if (!os.adminPassword && keys.length === 0) {
    return armError(400, "InvalidParameter", "Required parameter 'adminPassword' is missing (null).");
  }
  const custom = typeof os.customData === "string" ? Buffer.from(os.customData, "base64").length : 0;
  if (custom > 65535) return armError(400, "InvalidParameter", "Custom data in OSProfile must be at most 65535 bytes.");
  return undefined;
}

export function armRoutes(w: ArmWorld): Route[] {
  const sub = "/subscriptions/:sub";
  const rg = `${sub}/resourceGroups/:rg`;
  const scoped =
    (fn: (c: RouteContext) => SimResponse, needRg = true) =>
    (c: RouteContext): SimResponse => {
      if (c.params.sub !== w.subscriptionId)
        return armError(404, "SubscriptionNotFound", `The subscription '${c.params.sub ?? ""}' could not be found.`);
      if (needRg && c.params.rg?.toLowerCase() !== w.resourceGroup.toLowerCase()) {
        return armError(404, "ResourceGroupNotFound", `Resource group '${c.params.rg ?? ""}' could not be found.`);
      }
      return fn(c);
    };
  const idOf = (c: RouteContext, ns: string, coll: string) =>
    `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}/providers/${ns}/${coll}/${c.params.name ?? ""}`;

  const routes: Route[] = [
    route(
      "GET",
      `${sub}/locations`,
      [],
      scoped(
        () => ({
          status: 200,
          body: {
            value: w.locations.map((l) => ({
              id: `/subscriptions/${w.subscriptionId}/locations/${l.name}`,
              name: l.name,
              displayName: l.displayName,
              regionalDisplayName: l.displayName,
              metadata: {
                regionType: l.logical ? "Logical" : "Physical",
                ...(l.physicalLocation ? { physicalLocation: l.physicalLocation } : {}),
              },
            })),
          },
        }),
        false,
      ),
      "list_regions",
    ),
    route(
      "GET",
      rg,
      ["Microsoft.Resources/subscriptions/resourceGroups/read"],
      scoped(() => ({
        status: 200,
        body: {
          id: `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}`,
          name: w.resourceGroup,
          type: "Microsoft.Resources/resourceGroups",
          location: w.locations[0]?.name ?? "westeurope",
          properties: { provisioningState: "Succeeded" },
        },
      })),
      "account",
    ),
    route(
      "GET",
      `${rg}/providers/Microsoft.Authorization/permissions`,
      [],
      scoped((c) => ({ status: 200, body: { value: w.permissionsOf(c.token.label) } })),
      "account",
    ),
    route(
      "GET",
      `${sub}/providers/Microsoft.Compute/skus`,
      ["Microsoft.Compute/skus/read"],
      scoped((c) => {
        const all: Json[] = [
          ...Object.entries(w.vmSkus).map(([name, locations]) => ({
            resourceType: "virtualMachines",
            name,
            tier: "Standard",
            size: name.slice(9),
            locations,
            restrictions: [],
          })),
          ...Array.from({ length: w.otherSkus }, (_, i) => ({
            resourceType: "disks",
            name: `Premium_LRS_${i}`,
            tier: "Premium",
            locations: ["westeurope"],
            restrictions: [],
          })),
        ];
        const skip = Number(c.query.get("$skiptoken") ?? "0") || 0;
        const page = all.slice(skip, skip + w.skuPageSize);
        const next =
          skip + w.skuPageSize < all.length
            ? `${c.apiUrl}/subscriptions/${w.subscriptionId}/providers/Microsoft.Compute/skus?api-version=${c.query.get("api-version") ?? ""}&$skiptoken=${skip + w.skuPageSize}`
            : undefined;
        return { status: 200, body: { value: page, ...(next ? { nextLink: next } : {}) } };
      }, false),
      "list_sizes",
    ),
    route(
      "GET",
      `${sub}/providers/:ns/locations/:loc/operations/:op`,
      [],
      scoped((c) => w.store.poll(c.params.op ?? ""), false),
      "get_action",
    ),
  ];

  for (const [coll, { type, ops }] of Object.entries(NS_TYPES)) {
    const [ns] = type.split("/") as [string];
    const path = `${rg}/providers/${ns}/${coll}`;
    const [createOp, getOp, deleteOp, listOp] = ops;
    routes.push(
      route(
        "GET",
        path,
        [`${type}/read`],
        scoped(() => ({ status: 200, body: { value: w.store.ofType(type).map((r) => w.store.view(r)) } })),
        listOp,
      ),
      route(
        "GET",
        `${path}/:name`,
        [`${type}/read`],
        scoped((c) => {
          const r = w.store.get(idOf(c, ns, coll));
          if (!r)
            return armError(
              404,
              "ResourceNotFound",
              `The Resource '${type}/${c.params.name ?? ""}' under resource group '${w.resourceGroup}' was not found.`,
            );
          if (
            type === "Microsoft.Compute/virtualMachines" &&
            r.provisioningState === "Succeeded" &&
            c.query.get("$expand") === "instanceView"
          ) {
            const running = w.bootPolicy(r, c.now);
            return {
              status: 200,
              body: {
                ...w.store.view(r),
                properties: {
                  ...(w.store.view(r).properties as Json),
                  instanceView: {
                    statuses: [
                      { code: "ProvisioningState/succeeded", level: "Info" },
                      { code: running ? "PowerState/running" : "PowerState/starting", level: "Info" },
                    ],
                  },
                },
              },
            };
          }
          return { status: 200, body: w.store.view(r) };
        }),
        getOp,
      ),
      route(
        "PUT",
        `${path}/:name`,
        [`${type}/write`],
        scoped((c) => {
          const id = idOf(c, ns, coll);
          const body = (c.body ?? {}) as Json;
          const location = String(body.location ?? "");
          if (!w.locations.some((l) => l.name === location && !l.logical)) {
            return armError(
              400,
              "LocationNotAvailableForResourceType",
              `The provided location '${location}' is not available for resource type '${type}'.`,
            );
          }
          const existing = w.store.get(id);
          if (existing && c.headers["if-none-match"] === "*") {
            return armError(412, "PreconditionFailed", `The resource '${c.params.name ?? ""}' already exists and If-None-Match is '*'.`);
          }
          const bad =
            checkReferences(w, body) ?? (type === "Microsoft.Compute/virtualMachines" ? vmProblems(w, location, body) : undefined);
          if (bad) return bad;
          const properties = structuredClone((body.properties as Json | undefined) ?? {});
          if (type === "Microsoft.Network/virtualNetworks") {
            for (const s of (properties.subnets as Json[] | undefined) ?? []) s.id = `${id}/subnets/${String(s.name)}`;
          }
          if (type === "Microsoft.Network/publicIPAddresses") properties.ipAddress = existing?.properties.ipAddress ?? w.nextIp();
          const r: Resource = {
            id,
            type,
            name: c.params.name ?? "",
            location,
            tags: (body.tags as Record<string, string> | undefined) ?? {},
            properties,
            provisioningState: existing ? "Updating" : "Creating",
            created: existing?.created ?? c.now,
            polls: 0,
          };
          w.store.resources.set(id.toLowerCase(), r);
          const headers = w.store.startOperation(
            c.apiUrl,
            w.subscriptionId,
            type,
            location,
            () => {
              r.provisioningState = "Succeeded";
            },
            () => {
              r.provisioningState = "Failed";
            },
          );
          return { status: existing ? 200 : 201, body: w.store.view(r), headers };
        }),
        createOp,
      ),
      route(
        "DELETE",
        `${path}/:name`,
        [`${type}/delete`],
        scoped((c) => {
          const id = idOf(c, ns, coll).toLowerCase();
          const r = w.store.get(id);
          if (!r) return { status: 204 };
          const user = [...w.store.resources.values()].find(
            (o) => o !== r && referencesOf(o).some((ref) => ref === id || ref.startsWith(`${id}/`)),
          );
          if (user) {
            return armError(
              400,
              "InUseResourceCannotBeDeleted",
              `${type.split("/")[1] ?? ""} ${r.name} is in use by ${user.id} and cannot be deleted.`,
            );
          }
          r.provisioningState = "Deleting";
          const headers = w.store.startOperation(
            c.apiUrl,
            w.subscriptionId,
            type,
            r.location,
            () => {
              w.store.resources.delete(id);
              w.store.deleted.push(type);
              if (type === "Microsoft.Compute/virtualMachines") deleteWithVm(w, r);
            },
            () => {
              r.provisioningState = "Failed";
            },
          );
          return { status: 202, headers };
        }),
        deleteOp,
      ),
    );
  }
  routes.push(
    route(
      "POST",
      `${rg}/providers/Microsoft.Compute/virtualMachines/:name/restart`,
      ["Microsoft.Compute/virtualMachines/restart/action"],
      scoped((c) => {
        const r = w.store.get(idOf(c, "Microsoft.Compute", "virtualMachines"));
        if (!r)
          return armError(
            404,
            "ResourceNotFound",
            `The Resource 'Microsoft.Compute/virtualMachines/${c.params.name ?? ""}' was not found.`,
          );
        return {
          status: 202,
          headers: w.store.startOperation(
            c.apiUrl,
            w.subscriptionId,
            r.type,
            r.location,
            () => undefined,
            () => undefined,
          ),
        };
      }),
      "reboot_server",
    ),
  );
  return routes;
}

/** What a VM's deleteOption: Delete takes with it (its NICs; the OS disk is not modelled). */
function deleteWithVm(w: ArmWorld, vm: Resource): void {
  const nics = (((vm.properties.networkProfile as Json | undefined)?.networkInterfaces as Json[] | undefined) ?? []).filter(
    (n) => ((n.properties as Json | undefined)?.deleteOption ?? n.deleteOption) === "Delete",
  );
  for (const n of nics) {
    const id = refId(n).toLowerCase();
    if (w.store.resources.delete(id)) w.store.deleted.push("Microsoft.Network/networkInterfaces");
  }
}
