// listRegions and listSizes: the subscription's physical locations, and the VM SKUs it may use
// (with the locations where each is not restricted), joined with the price table in catalog.ts.

import type { ResourceSku } from "@azure/arm-compute";
import { pricedSizes } from "../common.ts";
import type { Region, Size } from "../spec.ts";
import type { ArmContext } from "./arm.ts";
import { AZURE_SIZES, monthlyPriceCents, OS_DISK_GB } from "./catalog.ts";

interface Location {
  name?: string;
  displayName?: string;
  metadata?: { regionType?: string; physicalLocation?: string; geographyGroup?: string };
}

export async function listRegions(ctx: ArmContext): Promise<Region[]> {
  const body = (await ctx.armGet(
    "ListLocations",
    `/subscriptions/${encodeURIComponent(ctx.creds.subscriptionId)}/locations?api-version=2022-12-01`,
  )) as { value?: Location[] } | undefined;
  return (body?.value ?? [])
    .filter((l): l is Location & { name: string } => typeof l.name === "string" && l.metadata?.regionType !== "Logical")
    .map((l) => ({
      id: l.name,
      name: l.displayName ?? l.name,
      ...(l.metadata?.physicalLocation ? { location: l.metadata.physicalLocation } : {}),
      available: true,
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Locations where a SKU can be created: listed, and not restricted for this subscription. */
function usableLocations(sku: ResourceSku): string[] {
  const blocked = new Set(
    (sku.restrictions ?? []).filter((r) => r.type === "Location").flatMap((r) => (r.values ?? []).map((v) => v.toLowerCase())),
  );
  return (sku.locations ?? []).map((l) => l.toLowerCase()).filter((l) => !blocked.has(l));
}

export async function listSizes(ctx: ArmContext): Promise<Size[]> {
  const regions = new Map<string, Set<string>>();
  await ctx.call("ListResourceSkus", async () => {
    for await (const sku of ctx.compute.resourceSkus.list(ctx.opts)) {
      if (sku.resourceType !== "virtualMachines" || !sku.name || !(sku.name in AZURE_SIZES)) continue;
      const set = regions.get(sku.name) ?? new Set<string>();
      for (const l of usableLocations(sku)) set.add(l);
      regions.set(sku.name, set);
    }
  });
  return pricedSizes(AZURE_SIZES, regions, { diskGb: OS_DISK_GB, price: monthlyPriceCents });
}
