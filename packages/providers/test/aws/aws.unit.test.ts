// AWS EC2 driver behaviour, through the real @aws-sdk/client-ec2 and client-sts against the
// in-process simulator. After every test, every EC2 request and answer on the wire is checked
// against the botocore model (when ../shared/specs is present).

import { readFileSync } from "node:fs";
import { CreateSecurityGroupCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { type AwsDriverOptions, clientTokenFor, createAwsDriver, parseServerId, statusOf } from "../../src/aws/driver.ts";
import { toProviderError } from "../../src/aws/errors.ts";
import { awsGuide } from "../../src/aws/guide.ts";
import { type CreateServerInput, ProviderError } from "../../src/spec.ts";
import { throwawayPublicKey } from "../../src/ssh.ts";
import { checkWire, loadModel, MODEL_PATH } from "./botocore.ts";
import { BAD_ACCESS_KEY, DEBIAN_OWNER, Ec2Simulator, type SimulatorOptions } from "./simulator.ts";

const KEYS = { kind: "keys" as const, accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const ROLE_ARN = "arn:aws:iam::210987654321:role/ClawCloud";
const EXTERNAL_ID = "clawcloud-ws_01HZX-7f3a";
// A real key line (its private half is discarded); the user's own key in these tests.
const SSH_KEY = throwawayPublicKey("user@laptop").line;
const USER_DATA = "#cloud-config\nwrite_files:\n  - path: /etc/clawcloud/token\n    content: one-time-registration-token-9f8e7d\n";

const model = loadModel();
if (!model) console.warn(`botocore model not found at ${MODEL_PATH}: wire-level contract checks are skipped in this file`);

const sims: Ec2Simulator[] = [];
/** Violations a test provokes on purpose; each must then actually be reported. */
const expectedViolations = new Map<Ec2Simulator, RegExp>();
afterEach(async () => {
  const current = sims.splice(0);
  for (const sim of current) await sim.close();
  if (model) {
    for (const sim of current) {
      const expected = expectedViolations.get(sim);
      const { violations } = checkWire(model, sim.log);
      if (expected) expect(violations.filter((v) => expected.test(v)).length).toBeGreaterThan(0);
      expect(violations.filter((v) => !expected?.test(v))).toEqual([]);
    }
  }
  expectedViolations.clear();
});

async function setup(simOpts: SimulatorOptions = {}, driverOpts: Partial<AwsDriverOptions> = {}) {
  const sim = new Ec2Simulator(simOpts);
  sims.push(sim);
  const url = await sim.start();
  const sleeps: number[] = [];
  const driver = createAwsDriver({
    credentials: KEYS,
    baseUrl: url,
    timeoutMs: 2_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...driverOpts,
  });
  return { sim, driver, url, sleeps };
}

const input = (over: Partial<CreateServerInput> = {}): CreateServerInput => ({
  instanceId: "inst_01J9ZK",
  name: "Ada's assistant",
  region: "eu-central-1",
  size: "t3.small",
  userData: USER_DATA,
  firewall: { inbound: [] },
  ...over,
});

async function rejection(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe("createServer", () => {
  it("launches with a fresh deny-all security group, IMDSv2, base64 user data, our tags, no key and an idempotency token", async () => {
    const { sim, driver } = await setup();
    const server = await driver.createServer(input({ tags: ["env:prod"] }));

    expect(server).toMatchObject({
      instanceId: "inst_01J9ZK",
      name: "Ada's assistant",
      status: "creating",
      region: "eu-central-1",
      size: "t3.small",
    });
    expect(parseServerId(server.id, "us-east-1")?.region).toBe("eu-central-1");

    const [sg] = sim.calls("CreateSecurityGroup");
    expect(sg?.params).toMatchObject({
      GroupName: "clawcloud-inst_01J9ZK",
      "TagSpecification.1.ResourceType": "security-group",
      "TagSpecification.1.Tag.1.Key": "clawcloud-instance",
      "TagSpecification.1.Tag.1.Value": "inst_01J9ZK",
    });
    expect(sim.calls("AuthorizeSecurityGroupIngress")).toHaveLength(0);
    const group = sim.groups("eu-central-1").find((g) => g.name === "clawcloud-inst_01J9ZK");
    expect(group?.ingress).toEqual([]);
    expect(server.firewallId).toBe(group?.id);

    const runs = sim.calls("RunInstances");
    expect(runs).toHaveLength(1);
    const p = runs[0]?.params ?? {};
    expect(p.ClientToken).toBe("clawcloud-inst_01J9ZK");
    expect(Buffer.from(p.UserData ?? "", "base64").toString("utf8")).toBe(USER_DATA);
    expect(p["MetadataOptions.HttpTokens"]).toBe("required");
    expect(p.KeyName).toBeUndefined();
    expect(Object.keys(p).some((k) => k.startsWith("KeyName"))).toBe(false);
    expect(p["SecurityGroupId.1"]).toBe(group?.id);
    expect(p.MinCount).toBe("1");
    expect(p.MaxCount).toBe("1");
    expect(p["BlockDeviceMapping.1.Ebs.VolumeSize"]).toBe("20");
    expect(p["BlockDeviceMapping.1.Ebs.DeleteOnTermination"]).toBe("true");
    expect(p["TagSpecification.1.ResourceType"]).toBe("instance");
    const instanceTags = Object.fromEntries(
      [1, 2, 3].map((n) => [p[`TagSpecification.1.Tag.${n}.Key`], p[`TagSpecification.1.Tag.${n}.Value`]]),
    );
    expect(instanceTags).toEqual({ "clawcloud-instance": "inst_01J9ZK", Name: "Ada's assistant", env: "prod" });
    expect(p["TagSpecification.2.ResourceType"]).toBe("volume");

    const inst = sim.instances("eu-central-1")[0];
    expect(inst?.metadata.httpTokens).toBe("required");
    expect(inst?.keyName).toBeUndefined();
  });

  it("uses the newest Debian 12 amd64 image published by Debian's account, and a given image when asked", async () => {
    const { sim, driver } = await setup();
    await driver.createServer(input());
    const images = sim.region("eu-central-1").images;
    const newestDebian = images.find((i) => i.name === "debian-12-amd64-20240717-1811");
    expect(sim.calls("RunInstances")[0]?.params.ImageId).toBe(newestDebian?.id);
    expect(sim.calls("DescribeImages")[0]?.params).toMatchObject({
      "Owner.1": DEBIAN_OWNER,
      "Filter.1.Name": "name",
      "Filter.1.Value.1": "debian-12-amd64-*",
    });

    const other = images.find((i) => i.name.startsWith("debian-11"));
    await driver.createServer(input({ instanceId: "inst_02", image: other?.id }));
    expect(sim.calls("RunInstances")[1]?.params.ImageId).toBe(other?.id);

    const missing = await rejection(driver.createServer(input({ instanceId: "inst_03", image: "ami-0123456789abcdef0" })));
    expect(missing.kind).toBe("invalid");
    expect(missing.message).toContain("ami-0123456789abcdef0");
  });

  it("opens only the ports the user listed, from only the addresses they listed", async () => {
    const { sim, driver } = await setup();
    await driver.createServer(input({ firewall: { inbound: [{ port: 22, sources: ["198.51.100.7", "203.0.113.0/24", "2001:db8::1"] }] } }));
    const [auth] = sim.calls("AuthorizeSecurityGroupIngress");
    expect(auth?.params).toMatchObject({
      "IpPermissions.1.IpProtocol": "tcp",
      "IpPermissions.1.FromPort": "22",
      "IpPermissions.1.ToPort": "22",
      "IpPermissions.1.IpRanges.1.CidrIp": "198.51.100.7/32",
      "IpPermissions.1.IpRanges.2.CidrIp": "203.0.113.0/24",
      "IpPermissions.1.Ipv6Ranges.1.CidrIpv6": "2001:db8::1/128",
    });
    const group = sim.groups("eu-central-1").find((g) => g.name === "clawcloud-inst_01J9ZK");
    expect(group?.ingress).toEqual([
      { protocol: "tcp", from: 22, to: 22, v4: ["198.51.100.7/32", "203.0.113.0/24"], v6: ["2001:db8::1/128"] },
    ]);

    for (const bad of [
      { port: 0, sources: ["1.2.3.4"] },
      { port: 22, sources: ["example.com"] },
      { port: 22, sources: ["10.0.0.0/33"] },
      { port: 22, sources: [] },
    ]) {
      const err = await rejection(driver.createServer(input({ instanceId: "inst_bad", firewall: { inbound: [bad] } })));
      expect(err.kind).toBe("invalid");
    }
  });

  it("imports the user's own key only when given, names it after the instance, and deletes it with the server", async () => {
    const { sim, driver } = await setup();
    const server = await driver.createServer(input({ userSshPublicKey: SSH_KEY }));
    const [imp] = sim.calls("ImportKeyPair");
    expect(imp?.params.KeyName).toBe("clawcloud-inst_01J9ZK");
    expect(Buffer.from(imp?.params.PublicKeyMaterial ?? "", "base64").toString("utf8")).toBe(SSH_KEY);
    expect(sim.calls("RunInstances")[0]?.params.KeyName).toBe("clawcloud-inst_01J9ZK");
    expect(sim.keys("eu-central-1").map((k) => k.name)).toEqual(["clawcloud-inst_01J9ZK"]);

    await driver.deleteServer(server.id);
    expect(sim.keys("eu-central-1")).toEqual([]);
    expect(sim.calls("DescribeKeyPairs")[0]?.params).toMatchObject({
      "Filter.1.Name": "tag:clawcloud-instance",
      "Filter.1.Value.1": "inst_01J9ZK",
    });
    expect(sim.calls("DeleteKeyPair")[0]?.params.KeyPairId).toMatch(/^key-/);

    for (const key of [
      "ssh-dss AAAAB3 old",
      "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmK host",
      "-----BEGIN OPENSSH PRIVATE KEY-----",
    ]) {
      const bad = await rejection(driver.createServer(input({ instanceId: "inst_k2", userSshPublicKey: key })));
      expect(bad.kind).toBe("invalid");
    }
    expect(sim.calls("ImportKeyPair")).toHaveLength(1);
  });

  it("refuses user data over 16 KB before calling AWS, and accepts exactly 16 KB", async () => {
    const { sim, driver } = await setup();
    const err = await rejection(driver.createServer(input({ userData: "#".repeat(16 * 1024 + 1) })));
    expect(err.kind).toBe("invalid");
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/16385 bytes.*16384/);
    expect(sim.log).toHaveLength(0);

    const multiByte = "é".repeat(8 * 1024 + 1); // 16386 bytes in UTF-8
    expect((await rejection(driver.createServer(input({ userData: multiByte })))).kind).toBe("invalid");

    await driver.createServer(input({ userData: "#".repeat(16 * 1024) }));
    expect(sim.calls("RunInstances")).toHaveLength(1);
  });

  it("refuses malformed input before calling AWS", async () => {
    const { sim, driver } = await setup();
    const cases: Partial<CreateServerInput>[] = [
      { instanceId: "inst 01; rm -rf" },
      { region: "mars-north-1a" },
      { size: "huge" },
      { tags: [`${"k".repeat(129)}:v`] },
      { tags: ["Name:spoofed"] },
      { tags: ["clawcloud-instance:other"] },
      { image: "debian" },
    ];
    for (const c of cases) expect((await rejection(driver.createServer(input(c)))).kind, JSON.stringify(c)).toBe("invalid");
    expect(sim.log).toHaveLength(0);
  });

  it("is idempotent: a second create for the same instance returns the first server", async () => {
    const { sim, driver } = await setup();
    const a = await driver.createServer(input());
    const b = await driver.createServer(input());
    expect(b.id).toBe(a.id);
    expect(sim.calls("RunInstances")).toHaveLength(1);
    expect(sim.calls("CreateSecurityGroup")).toHaveLength(1);
    expect(sim.instances()).toHaveLength(1);
  });

  it("a timeout after the create took effect, retried while reads still miss the instance, launches nothing new (ClientToken)", async () => {
    const { sim, driver } = await setup({ invisibleDescribes: 3 }, { timeoutMs: 100 });
    sim.inject({ action: "RunInstances", when: "after", kind: "slow", delayMs: 30_000 });
    const err = await rejection(driver.createServer(input()));
    expect(err.kind).toBe("unavailable");
    expect(err.retryable).toBe(true);
    expect(sim.instances()).toHaveLength(1); // it did take effect

    const again = await driver.createServer(input());
    expect(sim.calls("RunInstances")).toHaveLength(2);
    expect(sim.calls("RunInstances").map((r) => r.params.ClientToken)).toEqual(["clawcloud-inst_01J9ZK", "clawcloud-inst_01J9ZK"]);
    expect(sim.instances()).toHaveLength(1);
    expect(again.id).toBe(`eu-central-1:${sim.instances()[0]?.id}`);
    expect(sim.calls("CreateSecurityGroup")).toHaveLength(1); // the group was found by tag, not made twice
  });

  it("a connection reset after the create took effect is retryable and the retry finds the server by tag", async () => {
    const { sim, driver } = await setup();
    sim.inject({ action: "RunInstances", when: "after", kind: "reset" });
    const err = await rejection(driver.createServer(input()));
    expect(err.kind).toBe("unavailable");
    expect(err.retryable).toBe(true);
    const again = await driver.createServer(input());
    expect(sim.calls("RunInstances")).toHaveLength(1);
    expect(again.id).toBe(`eu-central-1:${sim.instances()[0]?.id}`);
  });

  it("a create retried with different settings after an unseen success is a retryable conflict, never a second server", async () => {
    const { sim, driver } = await setup({ invisibleDescribes: 1 });
    sim.inject({ action: "RunInstances", when: "after", kind: "server_error" });
    await rejection(driver.createServer(input()));
    const err = await rejection(driver.createServer(input({ userData: `${USER_DATA}# re-rendered\n` })));
    expect(err.kind).toBe("conflict");
    expect(err.retryable).toBe(true);
    expect(err.message).toContain("IdempotentParameterMismatch");
    const found = await driver.createServer(input({ userData: `${USER_DATA}# re-rendered\n` }));
    expect(found.instanceId).toBe("inst_01J9ZK");
    expect(sim.instances()).toHaveLength(1);
  });

  it("a retry that cannot see its own security group yet adopts it by name instead of failing", async () => {
    const { sim, driver } = await setup({ invisibleGroupDescribes: 5 });
    sim.inject({ action: "RunInstances", kind: "server_error", status: 503 });
    expect((await rejection(driver.createServer(input()))).kind).toBe("unavailable");
    const s = await driver.createServer(input());
    expect(sim.calls("CreateSecurityGroup").map((r) => r.status)).toEqual([200, 400]);
    expect(sim.groups("eu-central-1").filter((g) => g.name === "clawcloud-inst_01J9ZK")).toHaveLength(1);
    expect(s.firewallId).toBe(sim.groups("eu-central-1").find((g) => g.name === "clawcloud-inst_01J9ZK")?.id);
  });

  it("a group with our name but not our tag is not adopted", async () => {
    const { sim, driver, url } = await setup();
    const raw = new EC2Client({ region: "eu-central-1", endpoint: url, credentials: KEYS, maxAttempts: 1 });
    await raw.send(new CreateSecurityGroupCommand({ GroupName: "clawcloud-inst_01J9ZK", Description: "someone else's" }));
    const err = await rejection(driver.createServer(input()));
    expect(err.kind).toBe("conflict");
    expect(sim.calls("RunInstances")).toHaveLength(0);
  });

  it("a quota refusal is not retryable, says what to do, and removes the security group made for it", async () => {
    const { sim, driver } = await setup({ vcpuLimit: 2 });
    await driver.createServer(input());
    const err = await rejection(driver.createServer(input({ instanceId: "inst_02", userSshPublicKey: SSH_KEY })));
    expect(err.kind).toBe("quota");
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/vCPU quota/);
    expect(sim.groups("eu-central-1").map((g) => g.name)).not.toContain("clawcloud-inst_02");
    expect(sim.keys("eu-central-1")).toEqual([]);
  });

  it("an unknown size is an invalid request (and the botocore check flags it on the wire)", async () => {
    const { sim, driver } = await setup();
    expectedViolations.set(sim, /InstanceType: "t9\.huge" is not one of InstanceType's/);
    const err = await rejection(driver.createServer(input({ size: "t9.huge" })));
    expect(err.kind).toBe("invalid");
    expect(err.message).toContain("InvalidParameterValue");
  });

  it("ClientToken stays within EC2's 64 ASCII characters for long instance ids", () => {
    const long = "x".repeat(63);
    const token = clientTokenFor(long);
    expect(token.length).toBeLessThanOrEqual(64);
    expect(token).toMatch(/^[\x20-\x7e]+$/);
    expect(clientTokenFor(long)).toBe(token);
    expect(clientTokenFor(`${long.slice(1)}y`)).not.toBe(token);
  });
});

describe("reading servers", () => {
  it("maps EC2 states: pending→creating, running→running, stopped→off, shutting-down→deleting; terminated is gone (undefined)", async () => {
    const { sim, driver } = await setup({ pendingDescribes: 2, shuttingDownDescribes: 1 });
    const s = await driver.createServer(input());
    expect((await driver.getServer(s.id))?.status).toBe("creating");
    expect((await driver.getServer(s.id))?.status).toBe("creating");
    const running = await driver.getServer(s.id);
    expect(running?.status).toBe("running");
    expect(running?.ipv4).toMatch(/^203\.0\.113\./);
    const ec2Id = parseServerId(s.id, "us-east-1")?.ec2Id ?? "";
    sim.setState(ec2Id, "stopping");
    expect((await driver.getServer(s.id))?.status).toBe("off");
    sim.setState(ec2Id, "stopped");
    expect((await driver.getServer(s.id))?.status).toBe("off");
    sim.setState(ec2Id, "shutting-down");
    expect((await driver.getServer(s.id))?.status).toBe("deleting");
    // the instance is terminated now; EC2 still lists it, but the server is gone
    expect(sim.instances()[0]?.state).toBe("terminated");
    expect(await driver.getServer(s.id)).toBeUndefined();
    expect(statusOf("terminated")).toBe("gone");
    expect(statusOf("something-new")).toBe("unknown");
  });

  it("getServer is undefined for an instance EC2 no longer has, and for ids that are not ours", async () => {
    const { driver, sim } = await setup();
    expect(await driver.getServer("eu-central-1:i-0123456789abcdef0")).toBeUndefined();
    expect(await driver.getServer("not-an-id")).toBeUndefined();
    expect(sim.log).toHaveLength(1);
  });

  it("findServersByTag pages through every enabled region and skips terminated and untagged instances", async () => {
    const { sim, driver, url } = await setup({ pageSize: 1, terminatedVisibleDescribes: 100 });
    const a = await driver.createServer(input({ instanceId: "inst_a", region: "eu-central-1" }));
    await driver.createServer(input({ instanceId: "inst_b", region: "eu-central-1" }));
    await driver.createServer(input({ instanceId: "inst_c", region: "us-east-1" }));
    const dead = await driver.createServer(input({ instanceId: "inst_d", region: "eu-west-1" }));
    await driver.deleteServer(dead.id);
    // Someone else's instance in the same account.
    const raw = new EC2Client({ region: "eu-central-1", endpoint: url, credentials: KEYS, maxAttempts: 1 });
    const image = sim.region("eu-central-1").images[0]?.id;
    await raw.send(new RunInstancesCommand({ ImageId: image, InstanceType: "t3.small", MinCount: 1, MaxCount: 1 }));

    const all = await driver.findServersByTag();
    expect(all.map((s) => s.instanceId).sort()).toEqual(["inst_a", "inst_b", "inst_c"]);
    expect(new Set(all.map((s) => s.region))).toEqual(new Set(["eu-central-1", "us-east-1"]));
    const one = await driver.findServersByTag("inst_a");
    expect(one.map((s) => s.id)).toEqual([a.id]);
    expect(await driver.findServersByTag("inst_d")).toEqual([]);
    // pagination really happened, and the opted-out region was never asked
    expect(sim.calls("DescribeInstances").some((r) => r.params.NextToken)).toBe(true);
    expect(sim.log.some((r) => r.region === "ap-east-1")).toBe(false);
    expect(sim.calls("DescribeInstances").find((r) => r.params["Filter.1.Name"] === "tag-key")?.params["Filter.1.Value.1"]).toBe(
      "clawcloud-instance",
    );
  });
});

describe("deleteServer", () => {
  it("terminates, waits for terminated with backoff, then deletes the security group, and is idempotent", async () => {
    const { sim, driver, sleeps } = await setup({ shuttingDownDescribes: 3 });
    const s = await driver.createServer(input());
    await driver.deleteServer(s.id);
    expect(sim.calls("TerminateInstances")).toHaveLength(1);
    expect(sim.instances()[0]?.state).toBe("terminated");
    expect(sim.groups("eu-central-1").map((g) => g.name)).toEqual(["default"]);
    expect(sleeps.length).toBeGreaterThanOrEqual(3);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] ?? 0);

    await driver.deleteServer(s.id);
    expect(sim.calls("TerminateInstances")).toHaveLength(1);
  });

  it("retries DependencyViolation while the network interface lets go of the group", async () => {
    const { sim, driver } = await setup({ groupBusyAfterTerminate: 2 });
    const s = await driver.createServer(input());
    await driver.deleteServer(s.id);
    expect(sim.calls("DeleteSecurityGroup").map((r) => r.status)).toEqual([400, 400, 200]);
    expect(sim.groups("eu-central-1").map((g) => g.name)).toEqual(["default"]);
  });

  it("gives up within its budget with a retryable conflict, and the next try finishes", async () => {
    const { sim, driver } = await setup(
      { shuttingDownDescribes: 50 },
      { deleteWait: { initialDelayMs: 10, maxDelayMs: 10, budgetMs: 50 } },
    );
    const s = await driver.createServer(input());
    const err = await rejection(driver.deleteServer(s.id));
    expect(err.kind).toBe("conflict");
    expect(err.retryable).toBe(true);
    expect(sim.groups("eu-central-1")).toHaveLength(2);
    sim.setState(parseServerId(s.id, "")?.ec2Id ?? "", "terminated");
    await driver.deleteServer(s.id);
    expect(sim.groups("eu-central-1").map((g) => g.name)).toEqual(["default"]);
  });

  it("succeeds for a server that is already gone", async () => {
    const { sim, driver } = await setup({ terminatedVisibleDescribes: 1 });
    const s = await driver.createServer(input());
    await driver.deleteServer(s.id);
    expect(await driver.getServer(s.id)).toBeUndefined();
    await driver.deleteServer(s.id);
    await driver.deleteServer("us-east-1:i-0123456789abcdef0");
    expect(sim.calls("TerminateInstances")).toHaveLength(1);
  });

  it("refuses to delete an instance Claw Cloud did not create", async () => {
    const { sim, driver, url } = await setup();
    const raw = new EC2Client({ region: "eu-central-1", endpoint: url, credentials: KEYS, maxAttempts: 1 });
    const out = await raw.send(
      new RunInstancesCommand({ ImageId: sim.region("eu-central-1").images[0]?.id, InstanceType: "t3.small", MinCount: 1, MaxCount: 1 }),
    );
    const err = await rejection(driver.deleteServer(`eu-central-1:${out.Instances?.[0]?.InstanceId}`));
    expect(err.kind).toBe("forbidden");
    expect(sim.calls("TerminateInstances")).toHaveLength(0);
  });

  it("reboot reboots, and an unknown server is not_found", async () => {
    const { sim, driver } = await setup();
    const s = await driver.createServer(input());
    await driver.reboot(s.id);
    expect(sim.instances()[0]?.reboots).toBe(1);
    expect((await rejection(driver.reboot("eu-central-1:i-0123456789abcdef0"))).kind).toBe("not_found");
  });
});

describe("catalog", () => {
  it("listRegions uses DescribeRegions with all regions and marks opt-in regions unavailable", async () => {
    const { sim, driver } = await setup();
    const regions = await driver.listRegions();
    expect(regions.map((r) => [r.id, r.available])).toEqual([
      ["ap-east-1", false],
      ["eu-central-1", true],
      ["eu-west-1", true],
      ["us-east-1", true],
    ]);
    expect(regions.find((r) => r.id === "eu-central-1")).toMatchObject({ name: "Europe (Frankfurt)", location: "Frankfurt, DE" });
    expect(sim.calls("DescribeRegions")[0]?.params.AllRegions).toBe("true");
  });

  it("listSizes reads vCPU and memory from DescribeInstanceTypes (paginated) and prices from the committed table", async () => {
    const { sim, driver } = await setup({ pageSize: 5 });
    const sizes = await driver.listSizes();
    expect(sim.calls("DescribeInstanceTypes").length).toBeGreaterThan(1);
    expect(sizes[0]).toEqual({
      id: "t3.small",
      vcpus: 2,
      memoryMb: 2048,
      diskGb: 20,
      priceMonthlyCents: 1678,
      currency: "USD",
      regions: [],
    });
    expect(sizes.map((s) => s.id)).toContain("m6i.large");
    expect(sizes.every((s) => s.memoryMb >= 2048 && s.priceMonthlyCents > 0)).toBe(true);
    expect(sizes.find((s) => s.id === "t3.medium")?.memoryMb).toBe(4096);
  });

  it("listSizes works in a region that lacks some of the curated types", async () => {
    const { sim, driver } = await setup({ instanceTypes: ["t3.micro", "t3.small", "t3.medium", "m6i.large"] });
    expect((await driver.listSizes()).map((s) => s.id)).toEqual(["t3.small", "t3.medium", "m6i.large"]);
    expect(sim.calls("DescribeInstanceTypes").every((r) => r.status === 200)).toBe(true);
  });
});

describe("credentials", () => {
  it("validateCredentials names the account and reports no missing permissions when DryRun succeeds", async () => {
    const { driver } = await setup();
    const check = await driver.validateCredentials();
    expect(check.accountLabel).toContain("123456789012");
    expect(check.missingScopes).toEqual([]);
    expect(check.scopes).toEqual(expect.arrayContaining(["ec2:RunInstances", "ec2:CreateSecurityGroup", "ec2:DescribeInstances"]));
  });

  it("validateCredentials reports each missing permission by action name (UnauthorizedOperation on DryRun)", async () => {
    const { sim, driver } = await setup();
    sim.deny(KEYS.accessKeyId, ["RunInstances", "CreateSecurityGroup"]);
    const check = await driver.validateCredentials();
    expect(check.missingScopes).toEqual(["ec2:CreateSecurityGroup", "ec2:RunInstances"]);
    expect(sim.calls("RunInstances").every((r) => r.params.DryRun === "true")).toBe(true);
    expect(sim.instances()).toHaveLength(0);
    expect(sim.groups("us-east-1")).toHaveLength(1);
  });

  it("a bad access key is unauthorized, not retryable, and the message holds no secret", async () => {
    const { driver } = await setup({}, { credentials: { ...KEYS, accessKeyId: BAD_ACCESS_KEY } });
    for (const call of [() => driver.validateCredentials(), () => driver.listRegions()]) {
      const err = await rejection(call());
      expect(err.kind).toBe("unauthorized");
      expect(err.retryable).toBe(false);
      expect(err.message).not.toContain(BAD_ACCESS_KEY);
      expect(err.message).not.toContain(KEYS.secretAccessKey);
    }
  });

  it("refuses malformed credentials without echoing them", () => {
    let err: unknown;
    try {
      createAwsDriver({ credentials: { kind: "keys", accessKeyId: "not a key", secretAccessKey: "short-secret" } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe("invalid");
    expect((err as ProviderError).message).not.toContain("short-secret");
    expect((err as ProviderError).message).not.toContain("not a key");
  });

  it("a role is assumed once with its external id, using the server's base credentials, and EC2 calls use the session", async () => {
    const base = { accessKeyId: "AKIASERVERBASEKEY001", secretAccessKey: "server-base-secret-0123456789" };
    const { sim, driver } = await setup(
      {},
      {
        credentials: { kind: "role", roleArn: ROLE_ARN, externalId: EXTERNAL_ID, region: "eu-central-1" },
        baseCredentials: async () => base,
      },
    );
    sim.addRole(ROLE_ARN, EXTERNAL_ID);
    const check = await driver.validateCredentials();
    expect(check.accountLabel).toContain("assumed-role/ClawCloud");
    await driver.createServer(input());
    await driver.listSizes();

    const assumes = sim.calls("AssumeRole");
    expect(assumes).toHaveLength(1);
    expect(assumes[0]?.accessKeyId).toBe(base.accessKeyId);
    expect(assumes[0]?.params).toMatchObject({ RoleArn: ROLE_ARN, ExternalId: EXTERNAL_ID });
    const ec2Keys = new Set(sim.log.filter((r) => r.service === "ec2").map((r) => r.accessKeyId));
    expect(ec2Keys.size).toBe(1);
    expect([...ec2Keys][0]).toMatch(/^ASIA/);
  });

  it("renews the role session shortly before it expires", async () => {
    let now = Date.UTC(2026, 10, 25);
    const { sim, driver } = await setup(
      { now: () => now },
      {
        credentials: { kind: "role", roleArn: ROLE_ARN, externalId: EXTERNAL_ID },
        baseCredentials: async () => ({ accessKeyId: "AKIASERVERBASEKEY001", secretAccessKey: "server-base-secret-0123456789" }),
        now: () => now,
      },
    );
    sim.addRole(ROLE_ARN, EXTERNAL_ID);
    await driver.listRegions();
    now += 50 * 60_000;
    await driver.listRegions();
    expect(sim.calls("AssumeRole")).toHaveLength(1);
    now += 6 * 60_000; // within 5 minutes of the 1-hour expiry
    await driver.listRegions();
    expect(sim.calls("AssumeRole")).toHaveLength(2);
    expect(sim.calls("DescribeRegions").every((r) => r.status === 200)).toBe(true);
  });

  it("a wrong external id is unauthorized with a message that says what to check", async () => {
    const { sim, driver } = await setup(
      {},
      {
        credentials: { kind: "role", roleArn: ROLE_ARN, externalId: "someone-elses-id" },
        baseCredentials: async () => ({ accessKeyId: "AKIASERVERBASEKEY001", secretAccessKey: "server-base-secret-0123456789" }),
      },
    );
    sim.addRole(ROLE_ARN, EXTERNAL_ID);
    const err = await rejection(driver.listRegions());
    expect(err.kind).toBe("unauthorized");
    expect(err.message).toMatch(/trust policy.*external id/);
    expect(sim.log.filter((r) => r.service === "ec2")).toHaveLength(0);
  });

  it("a server without AWS credentials of its own says so when a role must be assumed", async () => {
    const { driver } = await setup(
      {},
      {
        credentials: { kind: "role", roleArn: ROLE_ARN, externalId: EXTERNAL_ID },
        baseCredentials: async () => {
          throw Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
        },
      },
    );
    const err = await rejection(driver.listRegions());
    expect(err.message).toMatch(/no AWS credentials of its own/);
    expect(err.retryable).toBe(false);
  });

  it("the guide's policy grants every action the driver calls and tag-conditions the destructive ones", async () => {
    const { sim, driver } = await setup();
    const s = await driver.createServer(
      input({ userSshPublicKey: SSH_KEY, firewall: { inbound: [{ port: 22, sources: ["198.51.100.7"] }] } }),
    );
    await driver.reboot(s.id);
    await driver.deleteServer(s.id);
    await driver.listSizes();
    await driver.listRegions();
    await driver.validateCredentials();
    const used = new Set(sim.log.filter((r) => r.service === "ec2").map((r) => `ec2:${r.action}`));
    for (const action of used) expect(awsGuide.permissions).toContain(action);
    // minimal: nothing granted that the driver does not call (CreateTags = tag-on-create)
    expect(awsGuide.permissions.filter((a) => !used.has(a))).toEqual(["ec2:CreateTags"]);
    // the policy in driver.ts's top comment is the one exported as data
    const source = readFileSync(new URL("../../src/aws/driver.ts", import.meta.url), "utf8");
    const block = /\/\/ The minimal IAM policy[^\n]*\n((?:\/\/ [{}\s].*\n|\/\/ {3}.*\n)+)/.exec(source)?.[1] ?? "";
    const commented = JSON.parse(block.replace(/^\/\/ /gm, ""));
    expect(commented).toEqual(JSON.parse(JSON.stringify(awsGuide.policy)));
    const statements = (awsGuide.policy as { Statement: { Action: string | readonly string[]; Condition?: unknown }[] }).Statement;
    for (const action of ["ec2:TerminateInstances", "ec2:DeleteSecurityGroup", "ec2:RebootInstances"]) {
      const st = statements.find((x) => (typeof x.Action === "string" ? [x.Action] : x.Action).includes(action));
      expect(JSON.stringify(st?.Condition)).toContain("aws:ResourceTag/clawcloud-instance");
    }
  });
});

describe("errors and faults", () => {
  it.each([
    ["AuthFailure", 401, "unauthorized", false],
    ["InvalidClientTokenId", 403, "unauthorized", false],
    ["SignatureDoesNotMatch", 403, "unauthorized", false],
    ["UnauthorizedOperation", 403, "forbidden", false],
    ["RequestLimitExceeded", 503, "rate_limited", true],
    ["Throttling", 400, "rate_limited", true],
    ["InstanceLimitExceeded", 400, "quota", false],
    ["VcpuLimitExceeded", 400, "quota", false],
    ["InvalidParameterValue", 400, "invalid", false],
    ["InvalidAMIID.Malformed", 400, "invalid", false],
    ["InvalidInstanceID.NotFound", 400, "not_found", false],
    ["DependencyViolation", 400, "conflict", true],
    ["InternalError", 500, "unavailable", true],
    ["SomethingNew", 502, "unavailable", true],
  ] as const)("maps %s (HTTP %i) to %s", (code, status, kind, retryable) => {
    const sdkError = Object.assign(new Error(`boom with AKIAIOSFODNN7EXAMPLE and ${"A".repeat(60)}`), {
      name: code,
      $metadata: { httpStatusCode: status },
    });
    const e = toProviderError(sdkError, "RunInstances");
    expect(e.kind).toBe(kind);
    expect(e.retryable).toBe(retryable);
    expect(e.message).toContain(`[${code}]`);
    expect(e.message).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect(e.message).not.toContain("A".repeat(60));
  });

  it("under 30% injected transient faults (some after the action took effect), retried creates and deletes leave no duplicates and no orphans", async () => {
    const { sim, driver } = await setup({ seed: 7, invisibleDescribes: 1 });
    const faults = ["throttle", "server_error", "reset"] as const;
    for (const kind of faults) {
      sim.inject({ service: "ec2", kind, probability: 0.05, times: Number.POSITIVE_INFINITY });
      sim.inject({ service: "ec2", kind, when: "after", probability: 0.05, times: Number.POSITIVE_INFINITY });
    }
    const retry = async <T>(fn: () => Promise<T>): Promise<T> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn();
        } catch (err) {
          if (!(err instanceof ProviderError) || !err.retryable || attempt >= 40) throw err;
        }
      }
    };
    const ids = Array.from({ length: 12 }, (_, n) => `inst_fault${n}`);
    const servers = [];
    for (const id of ids)
      servers.push(
        await retry(() =>
          driver.createServer(
            input({ instanceId: id, userSshPublicKey: SSH_KEY, firewall: { inbound: [{ port: 22, sources: ["198.51.100.7"] }] } }),
          ),
        ),
      );
    expect(sim.log.filter((r) => r.fault).length).toBeGreaterThan(20);
    for (const id of ids) expect(sim.instances().filter((i) => i.tags.some((t) => t.value === id))).toHaveLength(1);
    for (const [n, s] of servers.entries()) await retry(() => driver.deleteServer(s.id, { instanceId: ids[n] }));
    expect(sim.instances().every((i) => i.state === "terminated")).toBe(true);
    expect(sim.groups("eu-central-1").map((g) => g.name)).toEqual(["default"]);
    expect(sim.keys("eu-central-1")).toEqual([]);
  });

  it("maps throttling, 5xx, resets and timeouts to retryable errors, with exactly one request each (no SDK retries)", async () => {
    const { sim, driver } = await setup({}, { timeoutMs: 100 });
    const cases: [Parameters<Ec2Simulator["inject"]>[0]["kind"], string][] = [
      ["throttle", "rate_limited"],
      ["server_error", "unavailable"],
      ["proxy_502", "unavailable"],
      ["reset", "unavailable"],
      ["slow", "unavailable"],
      ["hang", "unavailable"],
    ];
    for (const [kind, expected] of cases) {
      sim.inject({ action: "DescribeRegions", kind, delayMs: 30_000 });
      const before = sim.log.length;
      const err = await rejection(driver.listRegions());
      expect(err.kind, kind).toBe(expected);
      expect(err.retryable, kind).toBe(true);
      expect(sim.log.length - before, kind).toBeLessThanOrEqual(1);
    }
    expect((await driver.listRegions()).length).toBe(4);
  });

  it("RequestLimitExceeded from the account's token bucket is rate_limited until it refills", async () => {
    let now = 0;
    const { driver } = await setup({ rateLimit: { capacity: 2, refillPerSecond: 1 }, now: () => now });
    await driver.listRegions();
    await driver.listRegions();
    const err = await rejection(driver.listRegions());
    expect(err.kind).toBe("rate_limited");
    expect(err.message).toContain("RequestLimitExceeded");
    now += 1_000;
    await driver.listRegions();
  });

  it("a missing permission is forbidden, names the action, and drops AWS's encoded policy blob", async () => {
    const { sim, driver } = await setup();
    sim.deny(KEYS.accessKeyId, ["RunInstances"]);
    const err = await rejection(driver.createServer(input()));
    expect(err.kind).toBe("forbidden");
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("RunInstances");
    expect(err.message).not.toMatch(/Encoded authorization failure message/);
    expect(err.message.length).toBeLessThan(300);
  });

  it("never puts user data or keys in error messages", async () => {
    const { sim, driver } = await setup();
    sim.inject({ action: "RunInstances", kind: "server_error" });
    const err = await rejection(driver.createServer(input({ userSshPublicKey: SSH_KEY })));
    for (const secret of [
      USER_DATA,
      Buffer.from(USER_DATA).toString("base64"),
      KEYS.secretAccessKey,
      KEYS.accessKeyId,
      "one-time-registration-token",
    ]) {
      expect(err.message).not.toContain(secret);
      expect(JSON.stringify(err.cause ?? null)).not.toContain(secret);
    }
  });

  it("uses the injected fetch for every request", async () => {
    let calls = 0;
    const { sim, driver } = await setup(
      {},
      {
        fetch: (async (...args: Parameters<typeof fetch>) => {
          calls++;
          return fetch(...args);
        }) as typeof fetch,
      },
    );
    await driver.listRegions();
    await driver.createServer(input());
    expect(calls).toBe(sim.log.length);
    expect(calls).toBeGreaterThan(3);
  });
});
