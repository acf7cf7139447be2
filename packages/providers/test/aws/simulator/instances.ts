// EC2 instances: describe, run, terminate and their state transitions.

import { createHash } from "node:crypto";
import { paginate } from "./ec2.ts";
import {
  ELSEWHERE_INSTANCE_TYPES,
  type RegionState,
  SIM_INSTANCE_TYPES,
  type SimContext,
  type SimGroup,
  type SimInstance,
  STATE_CODE,
} from "./state.ts";
import { filters, int, list, type Node, need, obj, SimError, str, strings, tagFilter, tagSet, tagSpecs, type X } from "./xml.ts";

export function instancesById(r: RegionState, ids: string[], mustExist: boolean): SimInstance[] {
  const out: SimInstance[] = [];
  for (const id of ids) {
    if (!/^i-[0-9a-f]{8,17}$/.test(id)) throw new SimError("InvalidInstanceID.Malformed", `Invalid id: "${id}"`);
    const inst = r.instances.get(id);
    if (!inst) {
      if (mustExist) throw new SimError("InvalidInstanceID.NotFound", `The instance ID '${id}' does not exist`);
      continue;
    }
    out.push(inst);
  }
  return out;
}

/** One DescribeInstances answer has shown the instance: advance its lifecycle. */
export function tick(ctx: SimContext, inst: SimInstance, r: RegionState): void {
  inst.seen++;
  if (inst.state === "pending" && inst.seen >= ctx.opts.pendingDescribes) {
    inst.state = "running";
    inst.seen = 0;
    inst.publicIp = `203.0.113.${(Number.parseInt(inst.id.slice(-2), 16) % 250) + 1}`;
  } else if (inst.state === "shutting-down" && inst.seen >= ctx.opts.shuttingDownDescribes) {
    inst.state = "terminated";
    inst.seen = 0;
    inst.publicIp = undefined;
    for (const g of inst.groups) {
      const group = [...r.groups.values()].find((x) => x.id === g.id);
      if (group) group.busyLeft = ctx.opts.groupBusyAfterTerminate;
    }
  } else if (inst.state === "terminated" && inst.seen >= ctx.opts.terminatedVisibleDescribes) {
    r.instances.delete(inst.id);
  }
}

export function instanceXml(i: SimInstance): X {
  return {
    instanceId: i.id,
    imageId: i.imageId,
    instanceState: { code: STATE_CODE[i.state], name: i.state },
    privateDnsName: `ip-${i.privateIp.replace(/\./g, "-")}.ec2.internal`,
    dnsName: i.publicIp ? `ec2-${i.publicIp.replace(/\./g, "-")}.compute-1.amazonaws.com` : "",
    reason: i.state === "terminated" ? "User initiated" : "",
    keyName: i.keyName,
    amiLaunchIndex: 0,
    productCodes: [],
    instanceType: i.type,
    launchTime: i.launchTime,
    placement: { availabilityZone: i.az, groupName: "", tenancy: "default" },
    monitoring: { state: "disabled" },
    subnetId: "subnet-0default",
    vpcId: "vpc-0default",
    privateIpAddress: i.privateIp,
    ipAddress: i.publicIp,
    sourceDestCheck: true,
    groupSet: i.groups.map((g) => ({ groupId: g.id, groupName: g.name })),
    architecture: SIM_INSTANCE_TYPES[i.type]?.arch ?? "x86_64",
    rootDeviceType: "ebs",
    rootDeviceName: i.rootDevice.name,
    blockDeviceMapping:
      i.state === "terminated"
        ? []
        : [
            {
              deviceName: i.rootDevice.name,
              ebs: { volumeId: i.rootDevice.volumeId, status: "attached", attachTime: i.launchTime, deleteOnTermination: true },
            },
          ],
    virtualizationType: "hvm",
    clientToken: i.clientToken,
    tagSet: tagSet(i.tags),
    hypervisor: "xen",
    networkInterfaceSet:
      i.state === "terminated"
        ? []
        : [{ networkInterfaceId: `eni-${i.id.slice(2)}`, subnetId: "subnet-0default", status: "in-use", privateIpAddress: i.privateIp }],
    ebsOptimized: false,
    enaSupport: true,
    metadataOptions: {
      state: "applied",
      httpTokens: i.metadata.httpTokens,
      httpPutResponseHopLimit: i.metadata.hopLimit,
      httpEndpoint: i.metadata.httpEndpoint,
    },
    platformDetails: "Linux/UNIX",
    bootMode: "uefi",
  };
}

export function reservationXml(ctx: SimContext, reservationId: string, insts: SimInstance[]): X {
  return { reservationId, ownerId: ctx.opts.accountId, groupSet: [], instancesSet: insts.map((i) => instanceXml(i)) };
}

export function describeInstances(ctx: SimContext, p: Node, r: RegionState): Record<string, X> {
  const ids = strings(p, "InstanceId");
  if (ids.length && str(p, "MaxResults") !== undefined) {
    throw new SimError("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
  }
  const fs = filters(p);
  let insts = ids.length ? instancesById(r, ids, true) : [...r.instances.values()];
  if (!ids.length) {
    // Eventual consistency: a just-launched instance is missing from filtered listings for a while.
    const hidden = insts.filter((i) => i.invisibleLeft > 0);
    for (const i of hidden) i.invisibleLeft--;
    insts = insts.filter((i) => !hidden.includes(i));
  }
  for (const f of fs) {
    insts = insts.filter((i) => {
      const t = tagFilter(f, i.tags);
      if (t !== undefined) return t;
      if (f.name === "instance-state-name") return f.values.includes(i.state);
      if (f.name === "instance-id") return f.values.includes(i.id);
      throw new SimError("InvalidParameterValue", `The filter '${f.name}' is invalid`);
    });
  }
  const { page, next } = paginate(ctx, p, insts);
  // Render first (the answer shows the current state), then advance the lifecycle.
  const result: Record<string, X> = { reservationSet: page.map((i) => reservationXml(ctx, i.reservationId, [i])), nextToken: next };
  for (const i of page) tick(ctx, i, r);
  return result;
}

export function runInstances(ctx: SimContext, p: Node, r: RegionState, regionName: string): Record<string, X> {
  const min = int(p, "MinCount");
  const max = int(p, "MaxCount");
  if (min === undefined || max === undefined)
    throw new SimError("MissingParameter", "The request must contain the parameter MinCount and MaxCount");
  if (min < 1 || max < min) throw new SimError("InvalidParameterValue", "MinCount and MaxCount must be at least 1, MaxCount >= MinCount");
  const token = str(p, "ClientToken");
  if (token !== undefined && (token.length > 64 || !/^[\x20-\x7e]+$/.test(token))) {
    throw new SimError("InvalidParameterValue", "ClientToken must be at most 64 ASCII characters");
  }
  // Idempotency as EC2 does it: same token + same parameters → the original reservation;
  // same token + different parameters → IdempotentParameterMismatch.
  const fingerprint = createHash("sha256")
    .update(JSON.stringify(Object.entries(p).sort(([a], [b]) => a.localeCompare(b))))
    .digest("hex");
  if (token !== undefined) {
    const prior = r.tokens.get(token);
    if (prior) {
      if (prior.fingerprint !== fingerprint) {
        throw new SimError(
          "IdempotentParameterMismatch",
          "The client token you have provided is associated with a resource that is already created with different parameters.",
        );
      }
      const insts = prior.instanceIds.map((id) => r.instances.get(id)).filter((i): i is SimInstance => i !== undefined);
      return reservationXml(ctx, prior.reservationId, insts) as Record<string, X>;
    }
  }
  const imageId = need(p, "ImageId");
  const image = r.images.find((i) => i.id === imageId);
  if (!image) throw new SimError("InvalidAMIID.NotFound", `The image id '[${imageId}]' does not exist`);
  const type = str(p, "InstanceType") ?? "m1.small";
  const spec = ctx.opts.instanceTypes.includes(type) ? SIM_INSTANCE_TYPES[type] : undefined;
  if (!spec && (SIM_INSTANCE_TYPES[type] || ELSEWHERE_INSTANCE_TYPES.includes(type))) {
    throw new SimError(
      "Unsupported",
      `Your requested instance type (${type}) is not supported in your requested Availability Zone (${regionName}a). Please retry your request by not specifying an Availability Zone or choosing ${regionName}b, ${regionName}c.`,
    );
  }
  if (!spec) throw new SimError("InvalidParameterValue", `Invalid value '${type}' for InstanceType.`);
  if (spec.arch !== image.arch) {
    throw new SimError(
      "InvalidParameterValue",
      `The architecture '${spec.arch}' of the specified instance type does not match the architecture '${image.arch}' of the specified AMI.`,
    );
  }
  const userData = str(p, "UserData") ?? "";
  if (userData && !/^[A-Za-z0-9+/]*={0,2}$/.test(userData))
    throw new SimError("InvalidUserData.Malformed", "Invalid BASE64 encoding of user data.");
  if (Buffer.from(userData, "base64").length > 16384) throw new SimError("InvalidParameterValue", "User data is limited to 16384 bytes");
  const groupIds = strings(p, "SecurityGroupId");
  const groups = groupIds.map((id) => {
    const g = [...r.groups.values()].find((x) => x.id === id);
    if (!g) throw new SimError("InvalidGroup.NotFound", `The security group '${id}' does not exist in default VPC 'vpc-0default'`);
    return g;
  });
  if (groups.length === 0) groups.push(r.groups.get("default") as SimGroup);
  const keyName = str(p, "KeyName");
  if (keyName !== undefined && !r.keys.has(keyName))
    throw new SimError("InvalidKeyPair.NotFound", `The key pair '${keyName}' does not exist`);
  const bdm = list(p, "BlockDeviceMapping");
  let rootSize = image.sizeGb;
  let volumeType = "gp2";
  for (const m of bdm) {
    const dev = need(m, "DeviceName");
    const size = int(obj(m, "Ebs"), "VolumeSize");
    if (dev === image.rootDeviceName && size !== undefined) {
      if (size < image.sizeGb)
        throw new SimError(
          "InvalidBlockDeviceMapping",
          `Volume of size ${size}GB is smaller than snapshot, expect size >= ${image.sizeGb}GB`,
        );
      rootSize = size;
      volumeType = str(obj(m, "Ebs"), "VolumeType") ?? "gp2";
    }
  }
  const used = [...r.instances.values()]
    .filter((i) => i.state === "pending" || i.state === "running")
    .reduce((n, i) => n + (SIM_INSTANCE_TYPES[i.type]?.vcpus ?? 0), 0);
  if (used + spec.vcpus * min > ctx.opts.vcpuLimit) {
    throw new SimError(
      "VcpuLimitExceeded",
      `You have requested more vCPU capacity than your current vCPU limit of ${ctx.opts.vcpuLimit} allows for the instance bucket that the specified instance type belongs to.`,
    );
  }
  const tags = tagSpecs(p);
  for (const s of tags) {
    if (s.type !== "instance" && s.type !== "volume" && s.type !== "network-interface") {
      throw new SimError("InvalidParameterValue", `'${s.type}' is not a valid taggable resource type for this operation.`);
    }
  }
  const md = obj(p, "MetadataOptions");
  const reservationId = ctx.id("r");
  const insts: SimInstance[] = [];
  for (let n = 0; n < max; n++) {
    const id = ctx.id("i");
    const inst: SimInstance = {
      id,
      reservationId,
      region: regionName,
      az: `${regionName}a`,
      imageId,
      type,
      state: "pending",
      seen: 0,
      invisibleLeft: ctx.opts.invisibleDescribes,
      ...(keyName ? { keyName } : {}),
      groups: groups.map((g) => ({ id: g.id, name: g.name })),
      tags: tags.filter((s) => s.type === "instance").flatMap((s) => s.tags),
      launchTime: new Date(Date.UTC(2026, 0, 1, 0, 0, ctx.seq())),
      ...(token !== undefined ? { clientToken: token } : {}),
      userData,
      privateIp: `172.31.${ctx.seq() % 250}.${(n % 250) + 4}`,
      metadata: {
        httpTokens: str(md, "HttpTokens") ?? "optional",
        httpEndpoint: str(md, "HttpEndpoint") ?? "enabled",
        hopLimit: int(md, "HttpPutResponseHopLimit") ?? 1,
      },
      rootDevice: { name: image.rootDeviceName, volumeId: ctx.id("vol"), sizeGb: rootSize, volumeType },
      reboots: 0,
    };
    r.instances.set(id, inst);
    insts.push(inst);
  }
  if (token !== undefined) r.tokens.set(token, { reservationId, instanceIds: insts.map((i) => i.id), fingerprint });
  return reservationXml(ctx, reservationId, insts) as Record<string, X>;
}

export function terminate(p: Node, r: RegionState): Record<string, X> {
  const ids = strings(p, "InstanceId");
  if (ids.length === 0) throw new SimError("MissingParameter", "The request must contain the parameter InstanceId");
  const insts = instancesById(r, ids, true);
  return {
    instancesSet: insts.map((i) => {
      const previous = i.state;
      if (i.state !== "terminated" && i.state !== "shutting-down") {
        i.state = "shutting-down";
        i.seen = 0;
      }
      return {
        instanceId: i.id,
        currentState: { code: STATE_CODE[i.state], name: i.state },
        previousState: { code: STATE_CODE[previous], name: previous },
      };
    }),
  };
}
