// Contract tests against the botocore model of EC2 (../shared/specs/aws-ec2.botocore-model.json):
// every request the real SDK puts on the wire while the driver runs its whole repertoire (success
// and failure paths, access keys and an assumed role) must be a valid EC2 Query request for the
// model's input shape, and every XML answer the simulator sends must fit the output shape. The
// validator is itself tested on wrong requests and answers, so a pass means something.

import { EC2Client, RunInstancesCommand, type RunInstancesCommandInput } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { createAwsDriver } from "../../src/aws/driver.ts";
import { ProviderError } from "../../src/spec.ts";
import { throwawayPublicKey } from "../../src/ssh.ts";
import { checkWire, loadModel, MODEL_PATH, validateRequest, validateResponse } from "./botocore.ts";
import { Ec2Simulator } from "./simulator.ts";

const model = loadModel();
const KEYS = { kind: "keys" as const, accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const SSH_KEY = throwawayPublicKey("user@laptop").line;

if (!model) {
  console.warn(`SKIPPED: AWS contract tests need the botocore model at ${MODEL_PATH} (see shared/specs/SOURCES.md); it is absent.`);
  it.skip(`botocore model absent at ${MODEL_PATH}: AWS contract tests skipped`, () => {});
}

const RUN_OK: Record<string, string> = {
  ImageId: "ami-0abcdef1234567890",
  InstanceType: "t3.small",
  MinCount: "1",
  MaxCount: "1",
  ClientToken: "clawcloud-x",
  UserData: "I2Nsb3VkLWNvbmZpZwo=",
  "SecurityGroupId.1": "sg-0123",
  "MetadataOptions.HttpTokens": "required",
  "TagSpecification.1.ResourceType": "instance",
  "TagSpecification.1.Tag.1.Key": "clawcloud-instance",
  "TagSpecification.1.Tag.1.Value": "x",
  "BlockDeviceMapping.1.DeviceName": "/dev/xvda",
  "BlockDeviceMapping.1.Ebs.VolumeSize": "20",
};

const without = (key: string) => Object.fromEntries(Object.entries(RUN_OK).filter(([k]) => k !== key));

describe.skipIf(!model)("botocore validator (must reject what EC2 would)", () => {
  const m = model as NonNullable<typeof model>;
  const req = (action: string, params: Record<string, string>, version = "2016-11-15") => validateRequest(m, action, version, params);

  it("accepts a well-formed RunInstances", () => {
    expect(req("RunInstances", RUN_OK)).toEqual([]);
  });

  it.each([
    ["an unknown parameter", { ...RUN_OK, Colour: "blue" }, /Colour: not a member of RunInstancesRequest/],
    ["a missing required member", without("MinCount"), /MinCount: required/],
    ["a value outside an enum", { ...RUN_OK, "MetadataOptions.HttpTokens": "always" }, /HttpTokens: "always" is not one of/],
    ["an instance type the model does not know", { ...RUN_OK, InstanceType: "t9.huge" }, /InstanceType: "t9.huge"/],
    ["a non-integer", { ...RUN_OK, MaxCount: "one" }, /MaxCount: "one" is not an integer/],
    ["a non-boolean", { ...RUN_OK, DryRun: "yes" }, /DryRun: "yes" is not true\/false/],
    ["an unflattened list", { ...without("SecurityGroupId.1"), SecurityGroupId: "sg-1" }, /a scalar was sent for list/],
    ["a list sent both ways", { ...RUN_OK, SecurityGroupId: "sg-1" }, /SecurityGroupId: sent both as a scalar and as a container/],
    ["the member name where the wire name is required", { ...RUN_OK, "SecurityGroupIds.1": "sg-1" }, /SecurityGroupIds: not a member/],
    ["awsQuery-style .member. lists", { ...RUN_OK, "TagSpecification.member.1.ResourceType": "instance" }, /non-numeric/],
    ["a gap in list indices", { ...RUN_OK, "SecurityGroupId.3": "sg-3" }, /indices are not 1\.\.2/],
    ["an unknown nested member", { ...RUN_OK, "TagSpecification.1.Tag.1.Name": "x" }, /Tag\.1\.Name: not a member of Tag/],
    ["a wrong resource type", { ...RUN_OK, "TagSpecification.1.ResourceType": "server" }, /ResourceType: "server"/],
    [
      "a structure sent as a scalar",
      { ...without("MetadataOptions.HttpTokens"), MetadataOptions: "required" },
      /MetadataOptions: a scalar was sent for structure/,
    ],
    ["a non-base64 blob", { KeyName: "k", PublicKeyMaterial: "ssh-rsa AAAA" }, /PublicKeyMaterial: not base64/, "ImportKeyPair"],
    ["an out-of-range integer", { MaxResults: "500" }, /MaxResults: 500 > max 100/, "DescribeInstanceTypes"],
  ])("rejects %s", (_name, params, expected, action = "RunInstances") => {
    const errors = req(action, params as Record<string, string>);
    expect(
      errors.some((e) => (expected as RegExp).test(e)),
      errors.join("\n"),
    ).toBe(true);
  });

  it("rejects unknown actions and other API versions", () => {
    expect(req("LaunchServer", {})).toEqual(["Action=LaunchServer: no such EC2 operation"]);
    expect(req("DescribeRegions", {}, "2015-10-01").join()).toMatch(/Version=2015-10-01/);
  });

  const OK_DESCRIBE =
    '<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><regionInfo><item><regionName>us-east-1</regionName><regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item></regionInfo></DescribeRegionsResponse>';

  it("accepts a well-formed answer and rejects wrong ones", () => {
    expect(validateResponse(m, "DescribeRegions", 200, OK_DESCRIBE)).toEqual([]);
    const bad: [string, string, RegExp][] = [
      ["DescribeRegions", OK_DESCRIBE.replace("<requestId>r</requestId>", ""), /first child is not <requestId>/],
      ["DescribeRegions", OK_DESCRIBE.replace(/regionName/g, "RegionName"), /RegionName: not a member of Region/],
      [
        "DescribeRegions",
        OK_DESCRIBE.replace(/<item>/g, "<member>").replace(/<\/item>/g, "</member>"),
        /list items of RegionList are <item>/,
      ],
      [
        "DescribeRegions",
        OK_DESCRIBE.replace("DescribeRegionsResponse xmlns", "DescribeRegionResponse xmlns"),
        /not well-formed|root element/,
      ],
      [
        "TerminateInstances",
        "<TerminateInstancesResponse><requestId>r</requestId><instancesSet><item><instanceId>i-1</instanceId><currentState><code>x</code><name>exploding</name></currentState></item></instancesSet></TerminateInstancesResponse>",
        /code: "x" is not an integer|name: "exploding" is not one of/,
      ],
      [
        "RebootInstances",
        "<RebootInstancesResponse><requestId>r</requestId><rebooted>yes</rebooted></RebootInstancesResponse>",
        /unexpected <rebooted>/,
      ],
      ["DescribeRegions", "<Response><Error><Code>X</Code></Error></Response>", /expected <Response><Errors>/],
    ];
    for (const [action, body, expected] of bad) {
      const errors = validateResponse(m, action, body.startsWith("<Response>") ? 400 : 200, body);
      expect(
        errors.some((e) => expected.test(e)),
        `${body}\n${errors.join("\n")}`,
      ).toBe(true);
    }
  });

  it("catches, on the wire, a request the SDK sends without complaint (it does not check required members)", async () => {
    const sim = new Ec2Simulator();
    const url = await sim.start();
    try {
      const raw = new EC2Client({ region: "us-east-1", endpoint: url, credentials: KEYS, maxAttempts: 1 });
      const missingMinCount = { ImageId: sim.region("us-east-1").images[0]?.id, MaxCount: 1 } as RunInstancesCommandInput;
      await raw.send(new RunInstancesCommand(missingMinCount)).catch(() => undefined);
      expect(checkWire(m, sim.log).violations.join("\n")).toMatch(/RunInstances: MinCount: required by RunInstancesRequest but not sent/);
    } finally {
      await sim.close();
    }
  });
});

describe.skipIf(!model)("the AWS driver's traffic conforms to the botocore model", () => {
  const m = model as NonNullable<typeof model>;

  it("every request and every answer of a full run (create, read, reboot, delete, catalog, validation, failures, role)", async () => {
    const sim = new Ec2Simulator({ pageSize: 5, groupBusyAfterTerminate: 1, shuttingDownDescribes: 2 });
    const url = await sim.start();
    try {
      const sleep = async () => {};
      const driver = createAwsDriver({ credentials: KEYS, baseUrl: url, sleep, timeoutMs: 200 });
      await driver.listRegions();
      await driver.listSizes();
      await driver.validateCredentials();
      const server = await driver.createServer({
        instanceId: "inst_contract",
        name: "contract",
        region: "eu-west-1",
        size: "t3.medium",
        userData: "#cloud-config\n",
        tags: ["team:research", "cost-centre:"],
        firewall: { inbound: [{ port: 22, sources: ["198.51.100.0/24", "2001:db8::/48"] }] },
        userSshPublicKey: SSH_KEY,
      });
      await driver.createServer({
        instanceId: "inst_contract",
        name: "contract",
        region: "eu-west-1",
        size: "t3.medium",
        userData: "#cloud-config\n",
        firewall: { inbound: [] },
      });
      await driver.createServer({
        instanceId: "inst_custom_image",
        name: "custom",
        region: "us-east-1",
        size: "t3a.small",
        image: sim.region("us-east-1").images[3]?.id,
        userData: "",
        firewall: { inbound: [] },
      });
      await driver.getServer(server.id);
      await driver.getServer("eu-west-1:i-0123456789abcdef0");
      await driver.findServersByTag("inst_contract");
      await driver.findServersByTag();
      await driver.reboot(server.id);
      await driver.deleteServer(server.id);
      await driver.deleteServer(server.id);

      // failure paths: refusals, throttling, a 5xx, DryRun denials
      sim.deny(KEYS.accessKeyId, ["CreateSecurityGroup"]);
      await driver.validateCredentials();
      await expect(
        driver.createServer({
          instanceId: "inst_denied",
          name: "d",
          region: "us-east-1",
          size: "t3.small",
          userData: "",
          firewall: { inbound: [] },
        }),
      ).rejects.toBeInstanceOf(ProviderError);
      sim.inject({ action: "DescribeRegions", kind: "throttle" });
      await expect(driver.listRegions()).rejects.toMatchObject({ kind: "rate_limited" });
      sim.inject({ action: "DescribeInstanceTypes", kind: "server_error" });
      await expect(driver.listSizes()).rejects.toMatchObject({ kind: "unavailable" });
      await expect(
        driver.createServer({
          instanceId: "inst_bad_image",
          name: "x",
          region: "us-east-1",
          size: "t3.small",
          image: "ami-0000000000000000f",
          userData: "",
          firewall: { inbound: [] },
        }),
      ).rejects.toMatchObject({
        kind: "invalid",
      });

      // an assumed role
      const roleArn = "arn:aws:iam::210987654321:role/ClawCloud";
      sim.addRole(roleArn, "ext-123");
      const viaRole = createAwsDriver({
        credentials: { kind: "role", roleArn, externalId: "ext-123", region: "eu-central-1" },
        baseUrl: url,
        sleep,
        baseCredentials: async () => ({ accessKeyId: "AKIASERVERBASEKEY001", secretAccessKey: "server-base-secret-0123456789" }),
      });
      const s2 = await viaRole.createServer({
        instanceId: "inst_role",
        name: "r",
        region: "eu-central-1",
        size: "t3.small",
        userData: "",
        firewall: { inbound: [] },
      });
      await viaRole.deleteServer(s2.id);

      const { checked, violations } = checkWire(m, sim.log);
      expect(violations).toEqual([]);
      const actions = new Set(sim.log.filter((r) => r.service === "ec2").map((r) => r.action));
      expect([...actions].sort()).toEqual([
        "AuthorizeSecurityGroupIngress",
        "CreateSecurityGroup",
        "DeleteKeyPair",
        "DeleteSecurityGroup",
        "DescribeImages",
        "DescribeInstanceTypes",
        "DescribeInstances",
        "DescribeKeyPairs",
        "DescribeRegions",
        "DescribeSecurityGroups",
        "ImportKeyPair",
        "RebootInstances",
        "RunInstances",
        "TerminateInstances",
      ]);
      // both outcomes were exercised and checked: answers with data and EC2 error envelopes
      expect(sim.log.some((r) => r.service === "ec2" && r.status >= 400)).toBe(true);
      expect(sim.log.some((r) => r.params.DryRun === "true")).toBe(true);
      expect(sim.log.some((r) => r.params.NextToken)).toBe(true);
      expect(checked).toBeGreaterThan(60);
    } finally {
      await sim.close();
    }
  });
});
