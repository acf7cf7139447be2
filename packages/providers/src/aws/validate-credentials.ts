// validateCredentials: who the credential is (sts:GetCallerIdentity), then each permission the
// driver needs probed with a DryRun request (DryRunOperation = allowed, UnauthorizedOperation =
// missing), which does nothing in the account.

import {
  CreateSecurityGroupCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeKeyPairsCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import type { CredentialCheck } from "../spec.ts";
import { DEBIAN_OWNER_ID } from "./catalog.ts";
import { callerIdentity } from "./credentials.ts";
import type { Ec2Context } from "./ec2.ts";
import { AWS_INSTANCE_TAG_KEY } from "./guide.ts";
import { resolveImage } from "./lookups.ts";

export async function validateCredentials(ctx: Ec2Context): Promise<CredentialCheck> {
  const who = await callerIdentity(ctx.sts, ctx.identity);
  const role = who.arn.split(":").pop() ?? "";
  const tags = [{ ResourceType: "security-group" as const, Tags: [{ Key: AWS_INSTANCE_TAG_KEY, Value: "permission-check" }] }];
  const r = ctx.defaultRegion;
  // DryRun asks IAM without doing anything: DryRunOperation = allowed, UnauthorizedOperation =
  // missing. Terminate/Delete/Reboot need an existing resource, so they cannot be checked here.
  const checks: [string, (c: EC2Client) => Promise<unknown>][] = [
    ["ec2:DescribeRegions", (c) => c.send(new DescribeRegionsCommand({ DryRun: true }))],
    ["ec2:DescribeInstances", (c) => c.send(new DescribeInstancesCommand({ DryRun: true, MaxResults: 5 }))],
    ["ec2:DescribeImages", (c) => c.send(new DescribeImagesCommand({ DryRun: true, Owners: [DEBIAN_OWNER_ID] }))],
    ["ec2:DescribeInstanceTypes", (c) => c.send(new DescribeInstanceTypesCommand({ DryRun: true, InstanceTypes: ["t3.small"] }))],
    ["ec2:DescribeSecurityGroups", (c) => c.send(new DescribeSecurityGroupsCommand({ DryRun: true }))],
    ["ec2:DescribeKeyPairs", (c) => c.send(new DescribeKeyPairsCommand({ DryRun: true }))],
    [
      "ec2:CreateSecurityGroup",
      (c) =>
        c.send(
          new CreateSecurityGroupCommand({
            DryRun: true,
            GroupName: "clawcloud-permission-check",
            Description: "dry run",
            TagSpecifications: tags,
          }),
        ),
    ],
  ];
  const allowed: string[] = [];
  const missing: string[] = [];
  const run = async (perm: string, fn: (c: EC2Client) => Promise<unknown>) => {
    const res = await ctx.callOr(r, perm.slice(4), ["DryRunOperation", "UnauthorizedOperation"], fn);
    if (res.ok || res.code === "DryRunOperation") allowed.push(perm);
    else missing.push(perm);
  };
  for (const [perm, fn] of checks) await run(perm, fn);
  if (!missing.includes("ec2:DescribeImages")) {
    const image = await resolveImage(ctx, r, undefined);
    await run("ec2:RunInstances", (c) =>
      c.send(
        new RunInstancesCommand({
          DryRun: true,
          ImageId: image.ImageId,
          InstanceType: "t3.small",
          MinCount: 1,
          MaxCount: 1,
          MetadataOptions: { HttpTokens: "required" },
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: AWS_INSTANCE_TAG_KEY, Value: "permission-check" }] }],
        }),
      ),
    );
  }
  return {
    accountLabel: role ? `AWS ${who.account} · ${role}` : `AWS ${who.account}`,
    scopes: allowed.sort(),
    missingScopes: missing.sort(),
  };
}
