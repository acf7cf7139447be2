// What a user grants Claw Cloud in their AWS account, as data for the UI and docs. The policy
// JSON and the role set-up are explained in the top comment of driver.ts; a test keeps that
// comment and `awsGuide.policy` equal.

/** The tag on every resource Claw Cloud creates: key `clawcloud-instance`, value our instance id. */
export const AWS_INSTANCE_TAG_KEY = "clawcloud-instance";

const TAG_PRESENT_ON_REQUEST = { Null: { [`aws:RequestTag/${AWS_INSTANCE_TAG_KEY}`]: "false" } };
const TAG_PRESENT_ON_RESOURCE = { Null: { [`aws:ResourceTag/${AWS_INSTANCE_TAG_KEY}`]: "false" } };

const policy = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Read",
      Effect: "Allow",
      Resource: "*",
      Action: [
        "ec2:DescribeRegions",
        "ec2:DescribeInstances",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeKeyPairs",
      ],
    },
    {
      Sid: "LaunchTaggedInstances",
      Effect: "Allow",
      Action: "ec2:RunInstances",
      Resource: ["arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:*:*:volume/*"],
      Condition: TAG_PRESENT_ON_REQUEST,
    },
    {
      Sid: "LaunchUsing",
      Effect: "Allow",
      Action: "ec2:RunInstances",
      Resource: [
        "arn:aws:ec2:*::image/*",
        "arn:aws:ec2:*:*:subnet/*",
        "arn:aws:ec2:*:*:network-interface/*",
        "arn:aws:ec2:*:*:security-group/*",
        "arn:aws:ec2:*:*:key-pair/*",
      ],
    },
    {
      Sid: "CreateTaggedGroupsAndKeys",
      Effect: "Allow",
      Action: ["ec2:CreateSecurityGroup", "ec2:ImportKeyPair"],
      Resource: ["arn:aws:ec2:*:*:security-group/*", "arn:aws:ec2:*:*:key-pair/*"],
      Condition: TAG_PRESENT_ON_REQUEST,
    },
    { Sid: "CreateGroupsInVpc", Effect: "Allow", Action: "ec2:CreateSecurityGroup", Resource: "arn:aws:ec2:*:*:vpc/*" },
    {
      Sid: "TagOnCreateOnly",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: "*",
      Condition: { StringEquals: { "ec2:CreateAction": ["RunInstances", "CreateSecurityGroup", "ImportKeyPair"] } },
    },
    {
      Sid: "ManageOnlyOurs",
      Effect: "Allow",
      Resource: "*",
      Action: [
        "ec2:TerminateInstances",
        "ec2:RebootInstances",
        "ec2:DeleteSecurityGroup",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:DeleteKeyPair",
      ],
      Condition: TAG_PRESENT_ON_RESOURCE,
    },
  ],
} as const;

const permissions = [...new Set(policy.Statement.flatMap((s) => (typeof s.Action === "string" ? [s.Action] : [...s.Action])))].sort();

/** The trust policy for the role: only Claw Cloud's account, only with this credential's external id. */
function trustPolicy(clawCloudAccountId: string, externalId: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${clawCloudAccountId}:root` },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": externalId } },
      },
    ],
  };
}

export const awsGuide: { permissions: string[]; policy: object; trustPolicy: typeof trustPolicy; notes: string } = {
  permissions,
  policy,
  trustPolicy,
  notes: [
    "Preferred: create an IAM role for Claw Cloud with 'Require external ID' set to the id Claw Cloud shows, attach this policy, and give Claw Cloud the role ARN.",
    "Or: an IAM user's access key with this policy attached.",
    "Everything Claw Cloud creates is tagged clawcloud-instance=<instance id>; the policy lets it terminate, reboot and delete only resources with that tag.",
    "Servers launch in the region's default VPC with a security group of their own that allows no inbound traffic, IMDSv2 required, and no SSH key unless you add your own.",
    "ec2:ImportKeyPair and ec2:DeleteKeyPair are needed only if you add your own SSH key.",
  ].join("\n"),
};
