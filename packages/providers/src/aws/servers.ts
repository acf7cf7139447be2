// EC2 instances as the spec's Server: status mapping, our tag, and the filter for our live instances.

import type { Filter, Instance, Tag } from "@aws-sdk/client-ec2";
import type { Server, ServerStatus } from "../spec.ts";
import { AWS_INSTANCE_TAG_KEY } from "./guide.ts";
import { securityGroupName, serverIdOf } from "./ids.ts";

const LIVE_STATES = ["pending", "running", "stopping", "stopped", "shutting-down"];

export function statusOf(state: string | undefined): ServerStatus {
  switch (state) {
    case "pending":
      return "creating";
    case "running":
      return "running";
    case "stopping":
    case "stopped":
      return "off";
    case "shutting-down":
      return "deleting";
    case "terminated":
      return "gone";
    default:
      return "unknown";
  }
}

export const tagValue = (tags: Tag[] | undefined, key: string) => tags?.find((t) => t.Key === key)?.Value;

export function toServer(region: string, inst: Instance): Server {
  const ours = tagValue(inst.Tags, AWS_INSTANCE_TAG_KEY);
  const groups = inst.SecurityGroups ?? [];
  const firewall = (ours ? groups.find((g) => g.GroupName === securityGroupName(ours)) : undefined) ?? groups[0];
  const ipv6 = inst.NetworkInterfaces?.flatMap((n) => n.Ipv6Addresses ?? []).find((a) => a.Ipv6Address)?.Ipv6Address;
  return {
    id: serverIdOf(region, inst.InstanceId ?? ""),
    instanceId: ours,
    name: tagValue(inst.Tags, "Name") ?? inst.InstanceId ?? "",
    status: statusOf(inst.State?.Name),
    region,
    size: inst.InstanceType ?? "",
    ...(inst.PublicIpAddress ? { ipv4: inst.PublicIpAddress } : {}),
    ...(ipv6 ? { ipv6 } : {}),
    ...(firewall?.GroupId ? { firewallId: firewall.GroupId } : {}),
    ...(inst.LaunchTime ? { createdAt: inst.LaunchTime.toISOString() } : {}),
  };
}

/** DescribeInstances filters: not terminated, and tagged for this instance (or for any of ours). */
export const ourLiveInstances = (instanceId: string | undefined): Filter[] => [
  instanceId === undefined
    ? { Name: "tag-key", Values: [AWS_INSTANCE_TAG_KEY] }
    : { Name: `tag:${AWS_INSTANCE_TAG_KEY}`, Values: [instanceId] },
  { Name: "instance-state-name", Values: LIVE_STATES },
];
