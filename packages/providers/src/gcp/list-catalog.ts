// listRegions and listSizes. A server is created in a zone, so the "regions" offered are the
// project's zones (id "europe-west3-a", location its region). Sizes: the curated machine types
// (catalog.ts) with the zones that offer them, from one aggregated list filtered to those types.

import { pricedSizes } from "../common.ts";
import type { Region, Size } from "../spec.ts";
import { BOOT_DISK_GB, CURATED_MACHINE_TYPES, GCP_MACHINE_TYPES, monthlyPriceCents } from "./catalog.ts";
import type { GceContext } from "./gce.ts";
import { lastSegment } from "./names.ts";

export async function listRegions(ctx: GceContext): Promise<Region[]> {
  return ctx.call("zones.list", async () => {
    const out: Region[] = [];
    for await (const z of ctx.zones.listAsync({ project: ctx.project }, ctx.callOptions)) {
      if (!z.name) continue;
      const region = lastSegment(z.region);
      out.push({ id: z.name, name: z.name, ...(region ? { location: region } : {}), available: z.status === "UP" });
    }
    return out.sort((a, b) => a.id.localeCompare(b.id));
  });
}

export async function listSizes(ctx: GceContext): Promise<Size[]> {
  const zonesOf = new Map<string, string[]>();
  // A regular expression the server matches against whole names.
  const filter = `name eq "(${CURATED_MACHINE_TYPES.map((t) => t.replaceAll("-", "\\-")).join("|")})"`;
  await ctx.call("machineTypes.aggregatedList", async () => {
    for await (const [, scoped] of ctx.machineTypes.aggregatedListAsync(
      { project: ctx.project, filter, returnPartialSuccess: true },
      ctx.callOptions,
    )) {
      for (const mt of scoped.machineTypes ?? []) {
        if (!mt.name || !(mt.name in GCP_MACHINE_TYPES) || mt.deprecated?.state) continue;
        zonesOf.set(mt.name, [...(zonesOf.get(mt.name) ?? []), lastSegment(mt.zone)]);
      }
    }
  });
  return pricedSizes(GCP_MACHINE_TYPES, zonesOf, { diskGb: BOOT_DISK_GB, price: monthlyPriceCents });
}
