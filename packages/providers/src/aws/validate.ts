// Checks on a create input that run before anything is sent to EC2 (all throw `invalid`), and the
// translation of extra tags and firewall rules into EC2's shapes.

import type { IpPermission, Tag } from "@aws-sdk/client-ec2";
import { checkInstanceId, splitTag, toCidr } from "../common.ts";
import { type CreateServerInput, ProviderError } from "../spec.ts";
import { parsePublicKey } from "../ssh.ts";
import { AWS_INSTANCE_TAG_KEY } from "./guide.ts";
import { REGION_RE } from "./ids.ts";

/** EC2 refuses user data over 16 KB (raw, before base64). */
export const MAX_USER_DATA_BYTES = 16 * 1024;
const MANAGED_TAG_KEYS = new Set([AWS_INSTANCE_TAG_KEY, "Name"]);

const SIZE_RE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const AMI_RE = /^ami-[0-9a-f]{8,17}$/;
/** ImportKeyPair takes RSA and ED25519 keys only. */
const EC2_KEY_TYPES = new Set(["ssh-ed25519", "ssh-rsa"]);

export const invalid = (message: string) => new ProviderError({ provider: "aws", kind: "invalid", message });

export function parseTags(tags: string[] | undefined): Tag[] {
  return (tags ?? []).map((t) => {
    const [Key, Value] = splitTag(t);
    if (Key.length < 1 || Key.length > 128 || Value.length > 256)
      throw invalid(`tag "${t.slice(0, 40)}": EC2 tag keys are 1-128 characters, values up to 256`);
    if (MANAGED_TAG_KEYS.has(Key)) throw invalid(`tag "${Key}" is set by Claw Cloud itself`);
    return { Key, Value };
  });
}

export function ingressPermissions(firewall: CreateServerInput["firewall"]): IpPermission[] {
  return firewall.inbound.map((rule) => {
    if (!Number.isInteger(rule.port) || rule.port < 1 || rule.port > 65535) throw invalid(`firewall port ${rule.port} is not 1-65535`);
    if (rule.sources.length === 0) throw invalid(`firewall rule for port ${rule.port} has no source addresses`);
    const v4: string[] = [];
    const v6: string[] = [];
    for (const source of rule.sources) {
      const cidr = toCidr(source);
      if (!cidr) throw invalid(`firewall source "${source.slice(0, 60)}" is not an IP address or CIDR block`);
      (cidr.includes(":") ? v6 : v4).push(cidr);
    }
    return {
      IpProtocol: "tcp",
      FromPort: rule.port,
      ToPort: rule.port,
      ...(v4.length ? { IpRanges: v4.map((CidrIp) => ({ CidrIp, Description: "added at deploy by the user" })) } : {}),
      ...(v6.length ? { Ipv6Ranges: v6.map((CidrIpv6) => ({ CidrIpv6, Description: "added at deploy by the user" })) } : {}),
    };
  });
}

/** Throws `invalid` before anything is sent; returns the user's key line, if any. */
export function validateCreate(input: CreateServerInput): string | undefined {
  checkInstanceId("aws", input.instanceId);
  if (!REGION_RE.test(input.region)) throw invalid(`"${input.region.slice(0, 40)}" is not an AWS region code`);
  if (!SIZE_RE.test(input.size)) throw invalid(`"${input.size.slice(0, 40)}" is not an EC2 instance type`);
  if (input.name.length > 256) throw invalid("server name is longer than 256 characters");
  if (input.image !== undefined && !AMI_RE.test(input.image)) throw invalid(`image "${input.image.slice(0, 40)}" is not an AMI id (ami-…)`);
  const bytes = Buffer.byteLength(input.userData, "utf8");
  if (bytes > MAX_USER_DATA_BYTES) {
    throw invalid(
      `the start-up script (user-data) is ${bytes} bytes; EC2 accepts at most ${MAX_USER_DATA_BYTES} bytes (16 KB) before base64 encoding`,
    );
  }
  if (input.userSshPublicKey !== undefined) {
    const key = parsePublicKey(input.userSshPublicKey);
    if ("error" in key) throw invalid(key.error);
    if (!EC2_KEY_TYPES.has(key.type)) throw invalid(`EC2 imports only ssh-ed25519 and ssh-rsa keys, not ${key.type}`);
    return key.line;
  }
  return undefined;
}
