// EC2 action dispatch, pagination and the read-only catalog (regions, images, instance types).

import { describeInstances, instancesById, runInstances, terminate } from "./instances.ts";
import { describeKeys, importKey } from "./key-pairs.ts";
import { authorizeIngress, createGroup, deleteGroup, describeGroups } from "./security-groups.ts";
import { type RegionState, SIM_INSTANCE_TYPES, type SimContext, type SimImage } from "./state.ts";
import { filters, int, matchAny, type Node, SimError, str, strings, type X } from "./xml.ts";

export function ec2(ctx: SimContext, action: string, p: { [k: string]: Node }, regionName: string): Record<string, X> {
  const r = ctx.region(regionName);
  switch (action) {
    case "DescribeRegions":
      return describeRegions(ctx, p);
    case "DescribeImages":
      return describeImages(p, r);
    case "DescribeInstanceTypes":
      return describeInstanceTypes(ctx, p);
    case "DescribeInstances":
      return describeInstances(ctx, p, r);
    case "RunInstances":
      return runInstances(ctx, p, r, regionName);
    case "TerminateInstances":
      return terminate(p, r);
    case "RebootInstances": {
      for (const i of instancesById(r, strings(p, "InstanceId"), true)) i.reboots++;
      return { return: true };
    }
    case "CreateSecurityGroup":
      return createGroup(ctx, p, r);
    case "DescribeSecurityGroups":
      return describeGroups(ctx, p, r);
    case "AuthorizeSecurityGroupIngress":
      return authorizeIngress(ctx, p, r);
    case "DeleteSecurityGroup":
      return deleteGroup(p, r);
    case "ImportKeyPair":
      return importKey(ctx, p, r);
    case "DescribeKeyPairs":
      return describeKeys(p, r);
    case "DeleteKeyPair": {
      const name = str(p, "KeyName");
      const id = str(p, "KeyPairId");
      if (!name && !id) throw new SimError("MissingParameter", "KeyName or KeyPairId is required");
      for (const k of r.keys.values()) if (k.name === name || k.id === id) r.keys.delete(k.name);
      return { return: true };
    }
    default:
      throw new SimError("InvalidAction", `The action ${action} is not valid for this web service.`);
  }
}

export function paginate<T>(
  ctx: SimContext,
  p: Node,
  items: T[],
  maxKey = "MaxResults",
  min = 5,
  max = 1000,
): { page: T[]; next?: string } {
  const requested = int(p, maxKey);
  if (requested !== undefined && (requested < min || requested > max)) {
    throw new SimError(
      "InvalidParameterValue",
      `Value ( ${requested} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`,
    );
  }
  const size = Math.min(requested ?? Number.POSITIVE_INFINITY, ctx.opts.pageSize);
  const token = str(p, "NextToken");
  const start = token
    ? Number(
        Buffer.from(token, "base64url")
          .toString("utf8")
          .replace(/^offset:/, ""),
      )
    : 0;
  if (!Number.isInteger(start) || start < 0) throw new SimError("InvalidParameterValue", "Invalid NextToken");
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(`offset:${start + size}`).toString("base64url") : undefined;
  return next ? { page, next } : { page };
}

export function describeRegions(ctx: SimContext, p: Node): Record<string, X> {
  const all = str(p, "AllRegions") === "true";
  const names = strings(p, "RegionName");
  const regions = ctx.opts.regions.filter(
    (r) => (all || (r.optInStatus ?? "opt-in-not-required") !== "not-opted-in") && (names.length === 0 || names.includes(r.name)),
  );
  return {
    regionInfo: regions.map((r) => ({
      regionName: r.name,
      regionEndpoint: `ec2.${r.name}.amazonaws.com`,
      optInStatus: r.optInStatus ?? "opt-in-not-required",
    })),
  };
}

export function describeImages(p: Node, r: RegionState): Record<string, X> {
  const ids = strings(p, "ImageId");
  const owners = strings(p, "Owner");
  let images = r.images.filter((i) => (ids.length === 0 || ids.includes(i.id)) && (owners.length === 0 || owners.includes(i.owner)));
  if (ids.length && images.length < ids.length)
    throw new SimError("InvalidAMIID.NotFound", `The image id '[${ids.join(", ")}]' does not exist`);
  for (const f of filters(p)) {
    const field: Record<string, (i: SimImage) => string> = {
      name: (i) => i.name,
      architecture: (i) => i.arch,
      state: () => "available",
      "owner-id": (i) => i.owner,
    };
    const get = field[f.name];
    if (!get) throw new SimError("InvalidParameterValue", `The filter '${f.name}' is invalid`);
    images = images.filter((i) => matchAny(f.values, get(i)));
  }
  return {
    imagesSet: images.map((i) => ({
      imageId: i.id,
      imageLocation: `${i.owner}/${i.name}`,
      imageState: "available",
      imageOwnerId: i.owner,
      creationDate: i.created,
      isPublic: true,
      architecture: i.arch,
      imageType: "machine",
      name: i.name,
      description: `Debian ${i.name}`,
      rootDeviceType: "ebs",
      rootDeviceName: i.rootDeviceName,
      blockDeviceMapping: [
        {
          deviceName: i.rootDeviceName,
          ebs: {
            snapshotId: `snap-${i.id.slice(4)}`,
            volumeSize: i.sizeGb,
            deleteOnTermination: true,
            volumeType: "gp2",
            encrypted: false,
          },
        },
      ],
      virtualizationType: "hvm",
      hypervisor: "xen",
      enaSupport: true,
      bootMode: "uefi",
    })),
  };
}

export function describeInstanceTypes(ctx: SimContext, p: Node): Record<string, X> {
  const offered = ctx.opts.instanceTypes;
  const wanted = strings(p, "InstanceType");
  for (const t of wanted) {
    if (!offered.includes(t)) throw new SimError("InvalidInstanceType", `The following supplied instance types do not exist: [${t}]`);
  }
  let names = wanted.length ? wanted : offered;
  for (const f of filters(p)) {
    if (f.name !== "instance-type") throw new SimError("InvalidParameterValue", `The filter '${f.name}' is invalid`);
    names = names.filter((n) => matchAny(f.values, n));
  }
  const { page, next } = paginate(ctx, p, names, "MaxResults", 5, 100);
  return {
    instanceTypeSet: page.map((name) => {
      const t = SIM_INSTANCE_TYPES[name] as (typeof SIM_INSTANCE_TYPES)[string];
      return {
        instanceType: name,
        currentGeneration: true,
        freeTierEligible: name === "t3.micro",
        supportedUsageClasses: ["on-demand", "spot"],
        supportedRootDeviceTypes: ["ebs"],
        supportedVirtualizationTypes: ["hvm"],
        bareMetal: false,
        hypervisor: "nitro",
        processorInfo: { supportedArchitectures: [t.arch], sustainedClockSpeedInGhz: 2.5 },
        vCpuInfo: { defaultVCpus: t.vcpus, defaultCores: t.vcpus / 2, defaultThreadsPerCore: 2 },
        memoryInfo: { sizeInMiB: t.memMiB },
        instanceStorageSupported: false,
        burstablePerformanceSupported: t.burstable,
      };
    }),
    nextToken: next,
  };
}
