// listRegions and listSizes: what EC2 reports (regions, instance types), joined with the curated
// catalog in catalog.ts (display names, prices).

import { DescribeInstanceTypesCommand, DescribeRegionsCommand, type InstanceTypeInfo } from "@aws-sdk/client-ec2";
import type { Region, Size } from "../spec.ts";
import { CURATED_INSTANCE_TYPES, monthlyPriceCents, REGION_NAMES, ROOT_VOLUME_GB } from "./catalog.ts";
import type { Ec2Context } from "./ec2.ts";

export async function listRegions(ctx: Ec2Context): Promise<Region[]> {
  const out = await ctx.call(ctx.defaultRegion, "DescribeRegions", (c) => c.send(new DescribeRegionsCommand({ AllRegions: true })));
  return (out.Regions ?? [])
    .filter((r): r is typeof r & { RegionName: string } => typeof r.RegionName === "string")
    .map((r) => {
      const known = REGION_NAMES[r.RegionName];
      return {
        id: r.RegionName,
        name: known?.name ?? r.RegionName,
        ...(known ? { location: known.location } : {}),
        available: r.OptInStatus !== "not-opted-in",
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

export async function listSizes(ctx: Ec2Context): Promise<Size[]> {
  const infos: InstanceTypeInfo[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ctx.call(ctx.defaultRegion, "DescribeInstanceTypes", (c) =>
      // A filter, not InstanceTypes: naming a type the region does not offer fails the whole call.
      c.send(
        new DescribeInstanceTypesCommand({
          Filters: [{ Name: "instance-type", Values: CURATED_INSTANCE_TYPES }],
          ...(NextToken ? { NextToken } : {}),
        }),
      ),
    );
    infos.push(...(page.InstanceTypes ?? []));
    NextToken = page.NextToken || undefined;
  } while (NextToken);
  const sizes: Size[] = [];
  for (const info of infos) {
    const id = info.InstanceType;
    const price = id ? monthlyPriceCents(id) : undefined;
    const vcpus = info.VCpuInfo?.DefaultVCpus;
    const memoryMb = info.MemoryInfo?.SizeInMiB;
    if (!id || price === undefined || !vcpus || !memoryMb) continue;
    sizes.push({ id, vcpus, memoryMb, diskGb: ROOT_VOLUME_GB, priceMonthlyCents: price, currency: "USD", regions: [] });
  }
  return sizes.sort((a, b) => CURATED_INSTANCE_TYPES.indexOf(a.id) - CURATED_INSTANCE_TYPES.indexOf(b.id));
}
