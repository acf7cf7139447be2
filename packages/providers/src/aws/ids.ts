// How AWS things are named and addressed: server ids ("<region>:<ec2 instance id>"), the names of
// the security group and key pair made for an instance, and RunInstances' idempotency token.

import { createHash } from "node:crypto";

export const DEFAULT_REGION = "us-east-1";

export const REGION_RE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const EC2_ID_RE = /^i-[0-9a-f]{8,17}$/;

export const securityGroupName = (instanceId: string) => `clawcloud-${instanceId}`;
export const keyPairName = (instanceId: string) => `clawcloud-${instanceId}`;

/** RunInstances ClientToken: at most 64 ASCII characters, the same for every retry of one instance. */
export function clientTokenFor(instanceId: string): string {
  const plain = `clawcloud-${instanceId}`;
  if (plain.length <= 64) return plain;
  return `clawcloud-${createHash("sha256").update(instanceId).digest("hex").slice(0, 54)}`;
}

export function serverIdOf(region: string, ec2InstanceId: string): string {
  return `${region}:${ec2InstanceId}`;
}

/** Splits a server id into region and EC2 instance id; undefined when it is not one of ours. */
export function parseServerId(serverId: string, defaultRegion: string): { region: string; ec2Id: string } | undefined {
  const i = serverId.lastIndexOf(":");
  const region = i === -1 ? defaultRegion : serverId.slice(0, i);
  const ec2Id = i === -1 ? serverId : serverId.slice(i + 1);
  if (!REGION_RE.test(region) || !EC2_ID_RE.test(ec2Id)) return undefined;
  return { region, ec2Id };
}
