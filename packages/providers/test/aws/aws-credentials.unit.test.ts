// AWS EC2 driver behaviour (catalog, credentials, faults), through the real @aws-sdk/client-ec2 and client-sts against the
// in-process simulator. After every test, every EC2 request and answer on the wire is checked
// against the botocore model (when ../shared/specs is present).

import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createAwsDriver } from "../../src/aws/driver.ts";
import { toProviderError } from "../../src/aws/errors.ts";
import { awsGuide } from "../../src/aws/guide.ts";
import { ProviderError } from "../../src/spec.ts";
import { closeAndCheckSims, EXTERNAL_ID, input, KEYS, ROLE_ARN, rejection, SSH_KEY, setup, USER_DATA } from "./aws.fixtures.ts";
import { BAD_ACCESS_KEY, type Ec2Simulator } from "./simulator.ts";

afterEach(closeAndCheckSims);

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
