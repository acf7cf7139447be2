// The AWS driver in front of the EC2 simulator, in the shape the shared conformance suite wants
// (../conformance.ts). The simulator is adapted to ConformanceSim here; it shares no code with the
// DigitalOcean/Hetzner/Vultr simulators. Every EC2 exchange of a harness is checked against the
// botocore model when it stops (when the model is present).

import { CURATED_INSTANCE_TYPES } from "../../src/aws/catalog.ts";
import { createAwsDriver } from "../../src/aws/driver.ts";
import { THROTTLE_RETRY_AFTER_S } from "../../src/aws/errors.ts";
import type { ConformanceSim, FaultKind, FaultOptions, Harness, SimExchange, SimFirewallView, SimOperation } from "../conformance.ts";
import { checkWire, loadModel } from "./botocore.ts";
import { BAD_ACCESS_KEY, Ec2Simulator, ELSEWHERE_INSTANCE_TYPES, type Fault, type SimulatorOptions, type WireRecord } from "./simulator.ts";

export const AWS_KEYS = {
  valid: { kind: "keys" as const, accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  revoked: { kind: "keys" as const, accessKeyId: BAD_ACCESS_KEY, secretAccessKey: "revokedrevokedrevokedrevokedrevoked00" },
  limited: { kind: "keys" as const, accessKeyId: "AKIAI44QH8DHBEXAMPLE", secretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY" },
};
/** What the "limited" key is denied, by EC2 action. */
export const AWS_LIMITED_DENIED = ["RunInstances", "CreateSecurityGroup"];

/** EC2 action (and, for DescribeInstances, its form) → the suite's provider-neutral operation. */
export function opOf(action: string, params: Record<string, string>): SimOperation | undefined {
  switch (action) {
    case "GetCallerIdentity":
    case "AssumeRole":
      return "account";
    case "DescribeRegions":
      return "list_regions";
    case "DescribeInstanceTypes":
      return "list_sizes";
    case "RunInstances":
      return "create_server";
    case "DescribeInstances":
      return "InstanceId.1" in params ? "get_server" : "list_servers";
    case "TerminateInstances":
      return "delete_server";
    case "RebootInstances":
      return "reboot_server";
    case "CreateSecurityGroup":
    case "AuthorizeSecurityGroupIngress":
      return "create_firewall";
    case "DescribeSecurityGroups":
      return "list_firewalls";
    case "DeleteSecurityGroup":
      return "delete_firewall";
    case "ImportKeyPair":
      return "create_ssh_key";
    case "DescribeKeyPairs":
      return "list_ssh_keys";
    case "DeleteKeyPair":
      return "delete_ssh_key";
    default:
      return undefined;
  }
}

const SUITE_FAULTS = new Set<string>(["rate_limit", "server_error", "network_reset", "slow", "lost_response"]);

function toExchange(r: WireRecord, seq: number): SimExchange {
  return {
    seq,
    method: "POST",
    path: "/",
    rawPath: "/",
    query: {},
    body: { Action: r.action, Version: r.version, ...r.params },
    op: opOf(r.action, r.params),
    // The IAM action this request needs (GetCallerIdentity needs none).
    perms: r.service === "none" || r.action === "GetCallerIdentity" ? [] : [`${r.service}:${r.action}`],
    status: r.status === 0 ? undefined : r.status,
    responseBody: r.body,
    responseHeaders: {},
    fault: r.fault && SUITE_FAULTS.has(r.fault) ? (r.fault as FaultKind) : undefined,
  };
}

class AwsConformanceSim implements ConformanceSim {
  readonly ec2: Ec2Simulator;
  constructor(ec2: Ec2Simulator) {
    this.ec2 = ec2;
  }
  get url() {
    return this.ec2.url;
  }
  #instance(serverId: string) {
    const [region, id] = serverId.split(":");
    return this.ec2.instances().find((i) => i.region === region && i.id === id);
  }
  #live() {
    return this.ec2.instances().filter((i) => i.state !== "terminated");
  }
  serverCount() {
    return this.#live().length;
  }
  serverIds() {
    return this.#live().map((i) => `${i.region}:${i.id}`);
  }
  firewallOf(serverId: string): SimFirewallView | undefined {
    const inst = this.#instance(serverId);
    if (!inst) return undefined;
    const groups = this.ec2.groups(inst.region).filter((g) => inst.groups.some((x) => x.id === g.id));
    if (groups.length === 0) return undefined;
    return {
      inbound: groups.flatMap((g) =>
        g.ingress.map((rule) => ({
          protocol: rule.protocol,
          ports: rule.protocol === "-1" ? "all" : rule.from === rule.to ? String(rule.from) : `${rule.from}-${rule.to}`,
          sources: [...rule.v4, ...rule.v6],
        })),
      ),
      // Every group the simulator makes has EC2's default egress rule, allow all.
      outboundAllowed: true,
    };
  }
  sshKeysOf(serverId: string): string[] {
    const inst = this.#instance(serverId);
    if (!inst?.keyName) return [];
    const key = this.ec2.keys(inst.region).find((k) => k.name === inst.keyName);
    return key ? [key.material.trim()] : [];
  }
  userDataOf(serverId: string): string | undefined {
    const inst = this.#instance(serverId);
    return inst ? Buffer.from(inst.userData, "base64").toString("utf8") : undefined;
  }
  firewallCount() {
    return this.ec2.regionNames().reduce((n, r) => n + this.ec2.groups(r).filter((g) => g.name !== "default").length, 0);
  }
  sshKeyCount() {
    return this.ec2.regionNames().reduce((n, r) => n + this.ec2.keys(r).length, 0);
  }
  issuedSecrets(): string[] {
    return []; // EC2 never issues a password
  }
  catalog() {
    return {
      regions: this.ec2.opts.regions.length,
      sizes: this.ec2.opts.instanceTypes.filter((t) => CURATED_INSTANCE_TYPES.includes(t)).length,
    };
  }
  injectFault(kind: FaultKind, o: FaultOptions = {}): void {
    const base: Partial<Fault> = {
      label: kind,
      times: o.times ?? 1,
      ...(o.probability !== undefined ? { probability: o.probability } : {}),
      ...(o.op ? { match: (action: string, params: Record<string, string>) => opOf(action, params) === o.op } : {}),
    };
    const fault: Fault = (() => {
      switch (kind) {
        // EC2 throttles with 503 RequestLimitExceeded and sends no Retry-After: retryAfterSeconds has no EC2 equivalent.
        case "rate_limit":
          return { ...base, kind: "throttle" };
        case "server_error":
          return { ...base, kind: "server_error", status: o.status ?? 500 };
        case "network_reset":
          return { ...base, kind: "reset" };
        case "slow":
          return { ...base, kind: "slow", delayMs: o.delayMs ?? 1000 };
        case "lost_response":
          return { ...base, kind: o.hang ? "hang" : "reset", when: "after" };
      }
    })();
    this.ec2.inject(fault);
  }
  clearFaults() {
    this.ec2.clearFaults();
  }
  get requests(): readonly SimExchange[] {
    return this.ec2.log.map(toExchange);
  }
}

export async function awsHarness(simOpts: SimulatorOptions = {}): Promise<Harness & { sim: AwsConformanceSim }> {
  const ec2 = new Ec2Simulator({ pageSize: 5, instanceTypes: [...CURATED_INSTANCE_TYPES], ...simOpts });
  ec2.deny(AWS_KEYS.limited.accessKeyId, AWS_LIMITED_DENIED);
  const url = await ec2.start();
  const sim = new AwsConformanceSim(ec2);
  const driverWith = ({
    credential = "valid",
    timeoutMs = 5000,
  }: {
    credential?: "valid" | "revoked" | "limited";
    timeoutMs?: number;
  } = {}) =>
    // Polls while an instance terminates are instant here: the simulator advances per describe.
    createAwsDriver({ credentials: AWS_KEYS[credential], baseUrl: url, timeoutMs, sleep: async () => {} });
  return {
    driver: driverWith(),
    sim,
    driverWith,
    limitedMissing: AWS_LIMITED_DENIED.map((a) => `ec2:${a}`),
    fixture: {
      region: "eu-central-1",
      size: "t3.small",
      invalidSize: ELSEWHERE_INSTANCE_TYPES[0] as string,
      invalidSizeMessage: `Your requested instance type (${ELSEWHERE_INSTANCE_TYPES[0]}) is not supported`,
      userDataLimitBytes: 16 * 1024,
      // EC2 sends no Retry-After; the driver suggests the same short pause whatever was injected.
      rateLimitRetryAfter: () => THROTTLE_RETRY_AFTER_S,
      // EC2 never sets or returns a password, so no throwaway key is attached (see driver.ts).
      throwawayKey: false,
    },
    async stop() {
      await ec2.close();
      const model = loadModel();
      if (model) {
        const { violations } = checkWire(model, ec2.log);
        if (violations.length) throw new Error(`EC2 traffic violates the botocore model:\n${violations.join("\n")}`);
      }
    },
  };
}
