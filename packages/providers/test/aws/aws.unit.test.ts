// AWS EC2 driver behaviour (servers), through the real @aws-sdk/client-ec2 and client-sts against the
// in-process simulator. After every test, every EC2 request and answer on the wire is checked
// against the botocore model (when ../shared/specs is present).

import { CreateSecurityGroupCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { clientTokenFor, parseServerId, statusOf } from "../../src/aws/driver.ts";
import type { CreateServerInput } from "../../src/spec.ts";
import { closeAndCheckSims, expectedViolations, input, KEYS, rejection, SSH_KEY, setup, USER_DATA } from "./aws.fixtures.ts";
import { DEBIAN_OWNER } from "./simulator.ts";

afterEach(closeAndCheckSims);

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
