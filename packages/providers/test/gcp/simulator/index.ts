// The GCP simulator: Compute Engine v1 over REST and Cloud Resource Manager's
// testIamPermissions on one HTTP server, authenticating each request by the service account's
// self-signed JWT (auth.ts), with a per-minute API quota answered as Google does (403
// rateLimitExceeded), operations that can be slow or fail, and the suite's generic faults.
// Implements ConformanceSim. The project's default network starts with Google's default rules
// (e.g. default-allow-ssh at priority 65534): a server is closed only if our deny rule wins.

import { SimServer, SlidingWindow } from "../../simulator/core.ts";
import { bootPolicy, type ProviderSimOptions, route, SimulatorBase } from "../../simulator/shared.ts";
import type { ConformanceSim, SimFirewallView } from "../../simulator/types.ts";
import { checkJwt, makeServiceAccount, type ServiceAccount } from "./auth.ts";
import { type GceWorld, gceError, gceRoutes, type OpFault } from "./gce.ts";

type Json = Record<string, unknown>;

export const GCP_PROJECT = "clawcloud-sim-123";

/** roles/compute.instanceAdmin.v1 without roles/compute.securityAdmin: no firewall rules. */
export const GCP_LIMITED_LACKS = [
  "compute.firewalls.create",
  "compute.firewalls.delete",
  "compute.firewalls.get",
  "compute.firewalls.list",
  "compute.networks.updatePolicy",
];

/** Holds every permission but those it lacks (the set is only ever asked `has`). */
class AllBut extends Set<string> {
  readonly #lacks: ReadonlySet<string>;
  constructor(lacks: readonly string[]) {
    super();
    this.#lacks = new Set(lacks);
  }
  override has(p: string): boolean {
    return !this.#lacks.has(p);
  }
}

const ACCOUNTS: Record<ServiceAccount["label"], ServiceAccount> = {
  valid: makeServiceAccount("valid", GCP_PROJECT, "all"),
  revoked: makeServiceAccount("revoked", GCP_PROJECT, "all", true),
  limited: makeServiceAccount("limited", GCP_PROJECT, new AllBut(GCP_LIMITED_LACKS)),
};
export const gcpKey = (which: ServiceAccount["label"] = "valid") => ACCOUNTS[which].key;

const MACHINE_TYPES = {
  "e2-small": { cpus: 2, memoryMb: 2048, zones: ["europe-west3-a", "europe-west3-b", "us-central1-a", "us-central1-b"] },
  "e2-medium": { cpus: 2, memoryMb: 4096, zones: ["europe-west3-a", "europe-west3-b", "us-central1-a", "us-central1-b"] },
  "e2-standard-2": { cpus: 2, memoryMb: 8192, zones: ["europe-west3-a", "us-central1-a"] },
  "e2-standard-4": { cpus: 4, memoryMb: 16384, zones: ["europe-west3-a", "us-central1-a"] },
  "n2-standard-2": { cpus: 2, memoryMb: 8192, zones: ["us-central1-a"] },
  "n2d-standard-2": { cpus: 2, memoryMb: 8192, zones: ["us-central1-b"] },
  "t2d-standard-1": { cpus: 1, memoryMb: 4096, zones: ["us-central1-a"] },
  // Offered by Google, not by Claw Cloud.
  "c3-highcpu-4": { cpus: 4, memoryMb: 8192, zones: ["europe-west3-a"] },
};

export interface GcpSimOptions extends ProviderSimOptions {
  /** RUNNING answers each operation gives to /wait before DONE (default 1). */
  opPolls?: number;
  /** Requests a minute per credential before Google's 403 rateLimitExceeded (default 1,500). */
  quotaPerMinute?: number;
}

export class GcpSimulator extends SimulatorBase implements ConformanceSim {
  readonly server: SimServer;
  readonly world: GceWorld;
  /** The audiences of the JWTs the simulator accepted. */
  readonly audiences = new Set<string>();
  #ip = 10;

  constructor(o: GcpSimOptions = {}) {
    super();
    const accounts = Object.values(ACCOUNTS);
    this.world = {
      project: GCP_PROJECT,
      zones: [
        { name: "asia-northeast1-a", region: "asia-northeast1", status: "UP" },
        { name: "europe-west3-a", region: "europe-west3", status: "UP" },
        { name: "europe-west3-b", region: "europe-west3", status: "UP" },
        { name: "us-central1-a", region: "us-central1", status: "UP" },
        { name: "us-central1-b", region: "us-central1", status: "DOWN" },
      ],
      machineTypes: MACHINE_TYPES,
      pageSize: 3,
      instances: new Map(),
      firewalls: new Map([
        [
          "default-allow-ssh",
          {
            name: "default-allow-ssh",
            network: "global/networks/default",
            direction: "INGRESS",
            priority: 65534,
            allowed: [{ IPProtocol: "tcp", ports: ["22"] }],
            sourceRanges: ["0.0.0.0/0"],
          },
        ],
      ]),
      operations: new Map(),
      byRequestId: new Map(),
      opFaults: [],
      opPolls: o.opPolls ?? 1,
      bootPolicy: bootPolicy(o),
      nextIp: () => `34.89.0.${this.#ip++}`,
    };
    const quota = new SlidingWindow(o.quotaPerMinute ?? 1500, 60_000);
    const crm = route(
      "POST",
      "/v1/projects/:target",
      [],
      (c) => {
        const [project, verb] = (c.params.target ?? "").split(":");
        if (verb !== "testIamPermissions" || project !== GCP_PROJECT) return gceError(404, "notFound", "Requested entity was not found.");
        const asked = ((c.body as Json | undefined)?.permissions as string[] | undefined) ?? [];
        const held = asked.filter((p) => c.token.grants === "all" || c.token.grants.has(p));
        return { status: 200, body: held.length ? { permissions: held } : {} };
      },
      "account",
    );
    this.server = new SimServer(
      {
        basePath: "/compute/v1",
        error: (status, code, message) =>
          // Compute Engine answers its per-minute API quota with 403 rateLimitExceeded, not 429.
          code === "rate_limit_exceeded"
            ? gceError(403, "rateLimitExceeded", "Rate Limit Exceeded")
            : gceError(status, code === "server_error" ? "backendError" : code, message),
        unauthorized: () => ({
          status: 401,
          body: {
            error: {
              code: 401,
              message:
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
              status: "UNAUTHENTICATED",
            },
          },
        }),
        forbidden: (perm) => gceError(403, "forbidden", `Required '${perm}' permission for 'projects/${GCP_PROJECT}'`),
        rateKey: "token",
        rateLimiter: {
          take: (key, now) => {
            if (!quota.allowed(key, now)) return { ok: false, headers: {}, retryAfterSeconds: 60 };
            quota.record(key, now);
            return { ok: true, headers: {} };
          },
        },
        injectedRateLimit: () => ({
          status: 429,
          body: {
            error: {
              code: 429,
              message:
                "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'compute.googleapis.com'.",
              status: "RESOURCE_EXHAUSTED",
            },
          },
        }),
        authenticate: (bearer, _now) => {
          const ok = checkJwt(accounts, bearer, Date.now());
          if (!ok) return undefined;
          this.audiences.add(ok.audience);
          return { label: ok.account.label, grants: ok.account.grants, revoked: ok.account.deleted === true };
        },
      },
      [...gceRoutes(this.world), crm],
      new Map(),
      o,
    );
  }

  /** The next operation of this type fails or is slow. */
  opFault(f: OpFault): void {
    this.world.opFaults.push(f);
  }

  #inst(serverId: string): Json | undefined {
    return this.world.instances.get(serverId);
  }
  #meta(inst: Json, key: string): string | undefined {
    const items = ((inst.metadata as Json | undefined)?.items as { key: string; value: string }[] | undefined) ?? [];
    return items.find((i) => i.key === key)?.value;
  }

  override get url(): string {
    return this.server.url.replace(/\/compute\/v1$/, "");
  }
  serverCount(): number {
    return this.world.instances.size;
  }
  serverIds(): string[] {
    return [...this.world.instances.keys()];
  }
  /** Rules the project did not start with (ours). */
  firewallCount(): number {
    return [...this.world.firewalls.keys()].filter((n) => !n.startsWith("default-")).length;
  }
  sshKeyCount(): number {
    return this.serverIds().reduce((n, id) => n + this.sshKeysOf(id).length, 0);
  }
  issuedSecrets(): string[] {
    return [];
  }
  catalog() {
    return { regions: this.world.zones.length, sizes: 7 };
  }
  sshKeysOf(serverId: string): string[] {
    const inst = this.#inst(serverId);
    const lines = inst ? (this.#meta(inst, "ssh-keys") ?? "") : "";
    return lines
      .split("\n")
      .filter(Boolean)
      .map((l) => l.slice(l.indexOf(":") + 1));
  }
  userDataOf(serverId: string): string | undefined {
    const inst = this.#inst(serverId);
    return inst ? this.#meta(inst, "user-data") : undefined;
  }
  /** Ingress as the VPC enforces it: allow rules that a deny rule of lower or equal priority does not shadow. */
  firewallOf(serverId: string): SimFirewallView | undefined {
    const inst = this.#inst(serverId);
    if (!inst) return undefined;
    const tags = new Set(((inst.tags as Json | undefined)?.items as string[] | undefined) ?? []);
    const applies = (f: Json) => {
      const t = (f.targetTags as string[] | undefined) ?? [];
      return !f._pending && f.direction === "INGRESS" && (t.length === 0 || t.some((x) => tags.has(x)));
    };
    const rules = [...this.world.firewalls.values()].filter(applies);
    const denyAt = Math.min(
      ...rules
        .filter((f) => ((f.denied as Json[] | undefined) ?? []).some((d) => d.IPProtocol === "all"))
        .map((f) => Number(f.priority ?? 1000)),
    );
    return {
      inbound: rules
        .filter((f) => f.allowed && Number(f.priority ?? 1000) < denyAt)
        .flatMap((f) =>
          ((f.allowed as Json[] | undefined) ?? []).map((a) => ({
            protocol: String(a.IPProtocol),
            ports: ((a.ports as string[] | undefined) ?? ["all"]).join(","),
            sources: (f.sourceRanges as string[] | undefined) ?? [],
          })),
        ),
      outboundAllowed: true,
    };
  }
}

export async function startGcpSimulator(o: GcpSimOptions = {}): Promise<GcpSimulator> {
  const sim = new GcpSimulator(o);
  await sim.start();
  return sim;
}
