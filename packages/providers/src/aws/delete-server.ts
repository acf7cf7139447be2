// deleteServer: refuses an instance without our tag, terminates and waits for `terminated`, then
// removes the security group (retrying while the dying instance still holds it) and our key pairs,
// both found by tag.

import { DeleteKeyPairCommand, DeleteSecurityGroupCommand, DescribeKeyPairsCommand, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { ProviderError } from "../spec.ts";
import type { Ec2Context } from "./ec2.ts";
import { AWS_INSTANCE_TAG_KEY } from "./guide.ts";
import { parseServerId } from "./ids.ts";
import { describeOne, securityGroupsOf } from "./lookups.ts";
import { tagValue } from "./servers.ts";

export async function deleteServer(ctx: Ec2Context, serverId: string, opts?: { instanceId?: string }): Promise<void> {
  const id = parseServerId(serverId, ctx.defaultRegion);
  // Not an id of ours: no such server exists, so there is nothing to delete.
  if (!id) return;
  const { region, ec2Id } = id;
  const inst = await describeOne(ctx, region, ec2Id);
  const tagged = inst ? tagValue(inst.Tags, AWS_INSTANCE_TAG_KEY) : undefined;
  if (inst && (!tagged || (opts?.instanceId !== undefined && tagged !== opts.instanceId))) {
    throw new ProviderError({
      provider: "aws",
      kind: "forbidden",
      message: `AWS: refusing to delete ${ec2Id}: it does not carry the ${AWS_INSTANCE_TAG_KEY} tag of this instance, so Claw Cloud did not create it for this instance`,
    });
  }
  // The instance is gone from EC2 (terminated instances stay visible about an hour): its
  // group and key can still be found by tag when the caller tells us whose they were.
  const instanceId = tagged ?? opts?.instanceId;
  const budget = { delay: ctx.wait.initialDelayMs, waited: 0 };
  if (inst) {
    let state = inst.State?.Name;
    if (state !== "terminated") {
      const r = await ctx.callOr(region, "TerminateInstances", ["InvalidInstanceID.NotFound"], (c) =>
        c.send(new TerminateInstancesCommand({ InstanceIds: [ec2Id] })),
      );
      if (r.ok) state = r.value.TerminatingInstances?.[0]?.CurrentState?.Name ?? state;
    }
    while (state !== "terminated") {
      if (!(await ctx.backoff(budget))) {
        throw new ProviderError({
          provider: "aws",
          kind: "conflict",
          message: `AWS: ${ec2Id} is still shutting down; its security group is deleted on the next try`,
        });
      }
      const cur = await describeOne(ctx, region, ec2Id);
      state = cur ? cur.State?.Name : "terminated";
    }
  }
  if (instanceId === undefined) return;
  for (const group of await securityGroupsOf(ctx, region, instanceId)) {
    if (!group.GroupId) continue;
    for (;;) {
      const r = await ctx.callOr(region, "DeleteSecurityGroup", ["DependencyViolation", "InvalidGroup.NotFound"], (c) =>
        c.send(new DeleteSecurityGroupCommand({ GroupId: group.GroupId })),
      );
      if (r.ok || r.code === "InvalidGroup.NotFound") break;
      // DependencyViolation: the network interface of a just-terminated instance still holds it.
      if (!(await ctx.backoff(budget))) {
        throw new ProviderError({
          provider: "aws",
          kind: "conflict",
          message: `AWS DeleteSecurityGroup: ${group.GroupId} is still in use while ${ec2Id} terminates; retry [DependencyViolation]`,
        });
      }
    }
  }
  // Keys by tag, not by the instance's KeyName: a create that crashed before launching may
  // have imported one, and only tagged (ours) keys may be deleted under the IAM policy.
  const keys = await ctx.call(region, "DescribeKeyPairs", (c) =>
    c.send(new DescribeKeyPairsCommand({ Filters: [{ Name: `tag:${AWS_INSTANCE_TAG_KEY}`, Values: [instanceId] }] })),
  );
  for (const key of keys.KeyPairs ?? []) {
    if (key.KeyPairId) await ctx.call(region, "DeleteKeyPair", (c) => c.send(new DeleteKeyPairCommand({ KeyPairId: key.KeyPairId })));
  }
}
