// The EC2 reads several operations share: instances (paged or one by id), the regions to search,
// the image to launch (cached per driver), and an instance's security groups by tag.

import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  type Filter,
  type Image,
  type Instance,
  type SecurityGroup,
} from "@aws-sdk/client-ec2";
import { ProviderError } from "../spec.ts";
import { DEBIAN_12_NAME_PATTERN, DEBIAN_OWNER_ID } from "./catalog.ts";
import type { Ec2Context } from "./ec2.ts";
import { AWS_INSTANCE_TAG_KEY } from "./guide.ts";
import { REGION_RE } from "./ids.ts";
import { invalid } from "./validate.ts";

export async function describeInstances(ctx: Ec2Context, region: string, filters: Filter[]): Promise<Instance[]> {
  const out: Instance[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ctx.call(region, "DescribeInstances", (c) =>
      c.send(new DescribeInstancesCommand({ Filters: filters, MaxResults: 100, ...(NextToken ? { NextToken } : {}) })),
    );
    for (const r of page.Reservations ?? []) out.push(...(r.Instances ?? []));
    NextToken = page.NextToken || undefined;
  } while (NextToken);
  return out;
}

export async function describeOne(ctx: Ec2Context, region: string, ec2Id: string): Promise<Instance | undefined> {
  const r = await ctx.callOr(region, "DescribeInstances", ["InvalidInstanceID.NotFound"], (c) =>
    c.send(new DescribeInstancesCommand({ InstanceIds: [ec2Id] })),
  );
  if (!r.ok) return undefined;
  return r.value.Reservations?.flatMap((x) => x.Instances ?? []).find((i) => i.InstanceId === ec2Id);
}

/** The regions enabled for the account (DescribeRegions, cached per driver; a failure is not cached). */
export function regionsToSearch(ctx: Ec2Context): Promise<string[]> {
  ctx.enabledRegions ??= ctx
    .call(ctx.defaultRegion, "DescribeRegions", (c) => c.send(new DescribeRegionsCommand({})))
    .then(
      (out) => (out.Regions ?? []).map((r) => r.RegionName ?? "").filter((r) => REGION_RE.test(r)),
      (err: unknown) => {
        ctx.enabledRegions = undefined;
        throw err;
      },
    );
  return ctx.enabledRegions;
}

export function resolveImage(ctx: Ec2Context, region: string, image: string | undefined): Promise<Image> {
  const key = `${region}|${image ?? ""}`;
  let p = ctx.imageCache.get(key);
  if (!p) {
    p = (async () => {
      if (image !== undefined) {
        const r = await ctx.callOr(region, "DescribeImages", ["InvalidAMIID.NotFound", "InvalidAMIID.Unavailable"], (c) =>
          c.send(new DescribeImagesCommand({ ImageIds: [image] })),
        );
        const found = r.ok ? r.value.Images?.find((i) => i.ImageId === image) : undefined;
        if (!found) throw invalid(`image ${image} does not exist in ${region} or is not shared with this account`);
        return found;
      }
      const out = await ctx.call(region, "DescribeImages", (c) =>
        c.send(
          new DescribeImagesCommand({
            Owners: [DEBIAN_OWNER_ID],
            Filters: [
              { Name: "name", Values: [DEBIAN_12_NAME_PATTERN] },
              { Name: "architecture", Values: ["x86_64"] },
              { Name: "state", Values: ["available"] },
            ],
          }),
        ),
      );
      const newest = (out.Images ?? [])
        .filter((i) => i.ImageId && i.CreationDate)
        .sort((a, b) => (b.CreationDate ?? "").localeCompare(a.CreationDate ?? ""))[0];
      if (!newest) {
        throw new ProviderError({
          provider: "aws",
          kind: "not_found",
          message: `AWS DescribeImages: no Debian 12 image found in ${region}`,
        });
      }
      return newest;
    })();
    p.catch(() => ctx.imageCache.delete(key));
    ctx.imageCache.set(key, p);
  }
  return p;
}

export async function securityGroupsOf(ctx: Ec2Context, region: string, instanceId: string): Promise<SecurityGroup[]> {
  const out = await ctx.call(region, "DescribeSecurityGroups", (c) =>
    c.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: `tag:${AWS_INSTANCE_TAG_KEY}`, Values: [instanceId] }] })),
  );
  return out.SecurityGroups ?? [];
}
