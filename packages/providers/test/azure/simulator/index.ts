// The Azure simulator: Entra ID's token endpoint and Azure Resource Manager on one HTTPS server
// (a test-made CA, see tls.ts), with ARM's throttling (token buckets per principal with the
// x-ms-ratelimit-remaining-* headers and 429 + Retry-After), long-running operations that can be
// made slow or to fail, and the suite's generic faults. Implements ConformanceSim.

import { SimServer, TokenBucket, type TokenInfo } from "../../simulator/core.ts";
import { bootPolicy, type ProviderSimOptions, SimulatorBase } from "../../simulator/shared.ts";
import type { ConformanceSim, SimFirewallView } from "../../simulator/types.ts";
import { armRoutes } from "./arm.ts";
import { identityRoutes, type Principal } from "./identity.ts";
import { armError, type Json, type LroFault, type Resource, ResourceStore } from "./resources.ts";
import { testTls } from "./tls.ts";

export const AZ_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const AZ_SUBSCRIPTION = "00000000-1111-4222-8333-444444444444";
export const AZ_RESOURCE_GROUP = "clawcloud";

/** What the "limited" principal's role grants: everything but network security groups. */
export const AZ_LIMITED_ACTIONS = [
  "Microsoft.Resources/subscriptions/resourceGroups/read",
  ...["read", "write", "delete", "restart/action"].map((a) => `Microsoft.Compute/virtualMachines/${a}`),
  ...["read", "write", "delete"].map((a) => `Microsoft.Compute/disks/${a}`),
  "Microsoft.Compute/skus/read",
  "Microsoft.Compute/locations/operations/read",
  ...["read", "write", "delete"].map((a) => `Microsoft.Network/virtualNetworks/${a}`),
  ...["read", "write", "join/action"].map((a) => `Microsoft.Network/virtualNetworks/subnets/${a}`),
  ...["read", "write", "delete", "join/action"].map((a) => `Microsoft.Network/publicIPAddresses/${a}`),
  ...["read", "write", "delete", "join/action"].map((a) => `Microsoft.Network/networkInterfaces/${a}`),
  "Microsoft.Network/locations/operations/read",
  "Microsoft.Network/locations/operationResults/read",
];
export const AZ_LIMITED_LACKS = ["read", "write", "delete", "join/action"].map((a) => `Microsoft.Network/networkSecurityGroups/${a}`);

export const AZ_PRINCIPALS: Record<Principal["label"], Principal> = {
  valid: {
    label: "valid",
    clientId: "0b1f0e0c-6a5e-4d3b-9c1a-8f7e6d5c4b3a",
    clientSecret: "simvalid~Q8Xa.b2Cd3Ef4Gh5Ij6Kl7Mn8",
    grants: "all",
  },
  revoked: {
    label: "revoked",
    clientId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    clientSecret: "simrevoked~R9Yb.c3De4Fg5Hi6Jk7Lm8",
    grants: "all",
    expired: true,
  },
  limited: {
    label: "limited",
    clientId: "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a",
    clientSecret: "simlimited~S0Zc.d4Ef5Gh6Ij7Kl8Mn9",
    grants: new Set(AZ_LIMITED_ACTIONS),
  },
};

const VM_SKUS: Record<string, string[]> = {
  Standard_B1ms: ["westeurope", "northeurope", "eastus"],
  Standard_B2s: ["westeurope", "northeurope", "eastus", "uksouth"],
  Standard_B2ms: ["westeurope", "eastus"],
  Standard_B4ms: ["westeurope", "eastus"],
  Standard_D2s_v5: ["westeurope", "northeurope", "eastus", "uksouth"],
  Standard_D4s_v5: ["eastus"],
  Standard_D2as_v5: ["westeurope"],
  // Offered by Azure, not by Claw Cloud (not in the price table).
  Standard_A1_v2: ["westeurope"],
};
const CURATED_OFFERED = 7;

export interface AzureSimOptions extends ProviderSimOptions {
  /** InProgress answers each long-running operation gives (default 1). */
  lroPolls?: number;
}

export class AzureSimulator extends SimulatorBase implements ConformanceSim {
  readonly server: SimServer;
  readonly store = new ResourceStore();
  /** Token requests per principal (the driver should reuse a token, not ask per call). */
  readonly tokenRequests: Record<string, number> = {};
  #ip = 10;

  constructor(o: AzureSimOptions, tlsMaterial: { key: string; cert: string }) {
    super();
    this.store.lroPolls = o.lroPolls ?? 1;
    const tokens = new Map<string, TokenInfo>();
    const reads = new TokenBucket(250, 25);
    const writes = new TokenBucket(200, 10);
    const deletes = new TokenBucket(200, 10);
    const boot = bootPolicy(o);
    const principals = Object.values(AZ_PRINCIPALS);
    const routes = [
      ...identityRoutes({
        tenantId: AZ_TENANT,
        principals,
        issue: (token, info) => this.server.setToken(token, info),
        onToken: (p) => {
          this.tokenRequests[p.label] = (this.tokenRequests[p.label] ?? 0) + 1;
        },
      }),
      ...armRoutes({
        subscriptionId: AZ_SUBSCRIPTION,
        resourceGroup: AZ_RESOURCE_GROUP,
        locations: [
          { name: "eastus", displayName: "East US", physicalLocation: "Virginia" },
          { name: "northeurope", displayName: "North Europe", physicalLocation: "Ireland" },
          { name: "uksouth", displayName: "UK South", physicalLocation: "London" },
          { name: "westeurope", displayName: "West Europe", physicalLocation: "Netherlands" },
          { name: "europe", displayName: "Europe", logical: true },
        ],
        vmSkus: VM_SKUS,
        otherSkus: 6,
        skuPageSize: 5,
        store: this.store,
        permissionsOf: (label) =>
          label === "limited"
            ? [{ actions: AZ_LIMITED_ACTIONS, notActions: [] }]
            : [
                {
                  actions: ["Microsoft.Compute/*", "Microsoft.Network/*", "Microsoft.Resources/subscriptions/resourceGroups/read"],
                  notActions: [
                    "Microsoft.Compute/virtualMachines/runCommand/action",
                    "Microsoft.Compute/virtualMachines/runCommands/*",
                    "Microsoft.Compute/virtualMachines/extensions/*",
                  ],
                },
              ],
        bootPolicy: boot,
        nextIp: () => `20.61.0.${this.#ip++}`,
      }),
    ];
    this.server = new SimServer(
      {
        basePath: "",
        error: (status, code, message) => armError(status, code === "server_error" ? "InternalServerError" : code, message),
        unauthorized: () => armError(401, "InvalidAuthenticationToken", "The access token is invalid."),
        forbidden: (perm) =>
          armError(
            403,
            "AuthorizationFailed",
            `The client does not have authorization to perform action '${perm}' over scope '/subscriptions/${AZ_SUBSCRIPTION}/resourceGroups/${AZ_RESOURCE_GROUP}' or the scope is invalid.`,
          ),
        rateKey: "token",
        rateLimiter: {
          take: (key, now, { method }) => {
            const [bucket, kind] = method === "GET" ? [reads, "reads"] : method === "DELETE" ? [deletes, "deletes"] : [writes, "writes"];
            const t = bucket.take(key, now);
            const headers = { [`x-ms-ratelimit-remaining-subscription-${kind}`]: String(t.remaining) };
            return t.ok ? { ok: true, headers } : { ok: false, headers: { ...headers, "retry-after": "1" }, retryAfterSeconds: 1 };
          },
        },
        injectedRateLimit: (retryAfterSeconds) => ({
          ...armError(429, "TooManyRequests", "The request is being throttled."),
          headers: { "retry-after": String(retryAfterSeconds), "x-ms-ratelimit-remaining-subscription-reads": "0" },
        }),
      },
      routes,
      tokens,
      { ...o, tls: tlsMaterial },
    );
  }

  /** The next long-running operation on `type` fails, or is slow. */
  lroFault(f: LroFault): void {
    this.store.lroFaults.push(f);
  }

  #vms(): Resource[] {
    return this.store.ofType("Microsoft.Compute/virtualMachines");
  }
  #vm(serverId: string): Resource | undefined {
    return this.#vms().find((v) => v.name === serverId);
  }
  #os(vm: Resource): Json {
    return (vm.properties.osProfile as Json | undefined) ?? {};
  }

  serverCount(): number {
    return this.#vms().length;
  }
  serverIds(): string[] {
    return this.#vms().map((v) => v.name);
  }
  firewallCount(): number {
    return this.store.ofType("Microsoft.Network/networkSecurityGroups").length;
  }
  sshKeyCount(): number {
    return this.#vms().reduce((n, vm) => n + this.sshKeysOf(vm.name).length, 0);
  }
  issuedSecrets(): string[] {
    return [];
  }
  catalog() {
    return { regions: 4, sizes: CURATED_OFFERED };
  }
  sshKeysOf(serverId: string): string[] {
    const vm = this.#vm(serverId);
    if (!vm) return [];
    const ssh = ((this.#os(vm).linuxConfiguration as Json | undefined)?.ssh as Json | undefined)?.publicKeys as Json[] | undefined;
    return (ssh ?? []).map((k) => String(k.keyData));
  }
  userDataOf(serverId: string): string | undefined {
    const vm = this.#vm(serverId);
    const data = vm ? this.#os(vm).customData : undefined;
    return typeof data === "string" ? Buffer.from(data, "base64").toString("utf8") : undefined;
  }
  /** The NSG on the VM's NIC, as ARM would enforce it. */
  firewallOf(serverId: string): SimFirewallView | undefined {
    const vm = this.#vm(serverId);
    const nicRef = (((vm?.properties.networkProfile as Json | undefined)?.networkInterfaces as Json[] | undefined) ?? [])[0];
    const nic = nicRef ? this.store.get(String(nicRef.id)) : undefined;
    const nsgRef = nic?.properties.networkSecurityGroup as Json | undefined;
    const nsg = nsgRef ? this.store.get(String(nsgRef.id)) : undefined;
    if (!nsg) return undefined;
    const rules = ((nsg.properties.securityRules as Json[] | undefined) ?? []).map((r) => (r.properties as Json | undefined) ?? {});
    return {
      inbound: rules
        .filter((r) => r.direction === "Inbound" && r.access === "Allow")
        .map((r) => ({
          protocol: String(r.protocol),
          ports: String(r.destinationPortRange),
          sources: (r.sourceAddressPrefixes as string[] | undefined) ?? [String(r.sourceAddressPrefix)],
        })),
      outboundAllowed: !rules.some((r) => r.direction === "Outbound" && r.access === "Deny"),
    };
  }
}

export async function startAzureSimulator(o: AzureSimOptions = {}): Promise<AzureSimulator> {
  const sim = new AzureSimulator(o, await testTls());
  await sim.start();
  return sim;
}
