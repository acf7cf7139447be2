// createServer: look up by tag first, then the image, a deny-all security group (plus the user's
// inbound rules), the user's key if any, and RunInstances with an idempotency token and every tag
// set in the create call. A refused launch removes the group and key made for it.

import {
  type _InstanceType,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteKeyPairCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  ImportKeyPairCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { type CreateServerInput, ProviderError, type Server } from "../spec.ts";
import { ROOT_VOLUME_GB } from "./catalog.ts";
import type { Ec2Context } from "./ec2.ts";
import { toProviderError } from "./errors.ts";
import { AWS_INSTANCE_TAG_KEY } from "./guide.ts";
import { clientTokenFor, keyPairName, securityGroupName } from "./ids.ts";
import { describeInstances, resolveImage, securityGroupsOf } from "./lookups.ts";
import { ourLiveInstances, tagValue, toServer } from "./servers.ts";
import { ingressPermissions, parseTags, validateCreate } from "./validate.ts";

async function ensureSecurityGroup(ctx: Ec2Context, region: string, input: CreateServerInput): Promise<string> {
  const existing = (await securityGroupsOf(ctx, region, input.instanceId))[0]?.GroupId;
  if (existing) return existing;
  const GroupName = securityGroupName(input.instanceId);
  const r = await ctx.callOr(region, "CreateSecurityGroup", ["InvalidGroup.Duplicate"], (c) =>
    c.send(
      new CreateSecurityGroupCommand({
        GroupName,
        Description: "Claw Cloud server: no inbound traffic unless the user added a rule",
        TagSpecifications: [
          {
            ResourceType: "security-group",
            Tags: [
              { Key: AWS_INSTANCE_TAG_KEY, Value: input.instanceId },
              { Key: "Name", Value: GroupName },
            ],
          },
        ],
      }),
    ),
  );
  if (r.ok && r.value.GroupId) return r.value.GroupId;
  // Duplicate name: made by an earlier attempt whose tag lookup we could not yet see.
  const byName = await ctx.call(region, "DescribeSecurityGroups", (c) =>
    c.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: [GroupName] }] })),
  );
  const group = byName.SecurityGroups?.find((g) => tagValue(g.Tags, AWS_INSTANCE_TAG_KEY) === input.instanceId);
  if (!group?.GroupId) {
    throw new ProviderError({
      provider: "aws",
      kind: "conflict",
      message: `AWS CreateSecurityGroup: group ${GroupName} exists but is not visible yet`,
    });
  }
  return group.GroupId;
}

async function ensureKeyPair(ctx: Ec2Context, region: string, instanceId: string, publicKey: string): Promise<string> {
  const KeyName = keyPairName(instanceId);
  await ctx.callOr(region, "ImportKeyPair", ["InvalidKeyPair.Duplicate"], (c) =>
    c.send(
      new ImportKeyPairCommand({
        KeyName,
        PublicKeyMaterial: new TextEncoder().encode(publicKey),
        TagSpecifications: [{ ResourceType: "key-pair", Tags: [{ Key: AWS_INSTANCE_TAG_KEY, Value: instanceId }] }],
      }),
    ),
  );
  return KeyName;
}

async function bestEffort(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch {
    // cleanup after a failed create: a leftover is harmless and deleteServer finds it by tag.
  }
}

export async function createServer(ctx: Ec2Context, input: CreateServerInput): Promise<Server> {
  const userKey = validateCreate(input);
  const extraTags = parseTags(input.tags);
  const permissions = ingressPermissions(input.firewall);
  const region = input.region;

  const existing = await describeInstances(ctx, region, ourLiveInstances(input.instanceId));
  const found = existing.sort((a, b) => (a.LaunchTime?.getTime() ?? 0) - (b.LaunchTime?.getTime() ?? 0))[0];
  if (found) return toServer(region, found);

  const image = await resolveImage(ctx, region, input.image);
  const groupId = await ensureSecurityGroup(ctx, region, input);
  if (permissions.length > 0) {
    await ctx.callOr(region, "AuthorizeSecurityGroupIngress", ["InvalidPermission.Duplicate"], (c) =>
      c.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: permissions })),
    );
  }
  const keyName = userKey ? await ensureKeyPair(ctx, region, input.instanceId, userKey) : undefined;

  const ourTag = { Key: AWS_INSTANCE_TAG_KEY, Value: input.instanceId };
  const rootSnapshotGb = image.BlockDeviceMappings?.find((m) => m.DeviceName === image.RootDeviceName)?.Ebs?.VolumeSize ?? 0;
  try {
    const out = await ctx.client(region).send(
      new RunInstancesCommand({
        ImageId: image.ImageId,
        InstanceType: input.size as _InstanceType,
        MinCount: 1,
        MaxCount: 1,
        ClientToken: clientTokenFor(input.instanceId),
        UserData: Buffer.from(input.userData, "utf8").toString("base64"),
        SecurityGroupIds: [groupId],
        ...(keyName ? { KeyName: keyName } : {}),
        MetadataOptions: { HttpTokens: "required", HttpEndpoint: "enabled", HttpPutResponseHopLimit: 1 },
        ...(image.RootDeviceName
          ? {
              BlockDeviceMappings: [
                {
                  DeviceName: image.RootDeviceName,
                  Ebs: { VolumeSize: Math.max(ROOT_VOLUME_GB, rootSnapshotGb), VolumeType: "gp3", DeleteOnTermination: true },
                },
              ],
            }
          : {}),
        TagSpecifications: [
          { ResourceType: "instance", Tags: [ourTag, { Key: "Name", Value: input.name }, ...extraTags] },
          { ResourceType: "volume", Tags: [ourTag] },
        ],
      }),
    );
    const inst = out.Instances?.[0];
    if (!inst?.InstanceId)
      throw new ProviderError({ provider: "aws", kind: "unknown", message: "AWS RunInstances: the answer named no instance" });
    return toServer(region, inst);
  } catch (err) {
    const pe = toProviderError(err, "RunInstances");
    // A refusal (not a timeout) means nothing was launched by this call: remove what we made for it.
    if (!pe.retryable) {
      await bestEffort(() => ctx.client(region).send(new DeleteSecurityGroupCommand({ GroupId: groupId })));
      if (keyName) await bestEffort(() => ctx.client(region).send(new DeleteKeyPairCommand({ KeyName: keyName })));
    }
    throw pe;
  }
}
