// A stateful Vultr API v2 simulator: instances (pending → active/running), firewall groups and
// rules, SSH keys, tags, regions and plans with prices, cursor pagination, API keys whose user has
// a subset of permissions (ACLs), the default_password Vultr hands out, and Vultr's rate limit
// (30 requests a second per client address; no rate-limit headers are documented). Responses follow
// vultr.openapi.json: the contract tests validate every one.

import { randomUUID } from "node:crypto";
import {
  type Clock,
  cursorOf,
  fakePassword,
  iso,
  looksLikePublicKey,
  type ProviderProfile,
  type RateLimiter,
  type Route,
  type RouteContext,
  SimServer,
  type SimServerOptions,
  SlidingWindow,
  type TokenInfo,
} from "./core.ts";
import type { ConformanceSim, FaultKind, FaultOptions, SimExchange, SimFirewallView, SimOperation } from "./types.ts";

export const VULTR_TOKENS = {
  valid: "SIMVALIDVULTRKEY0000000000000000000000",
  revoked: "SIMREVOKEDVULTRKEY00000000000000000000",
  limited: "SIMLIMITEDVULTRKEY00000000000000000000",
} as const;

/** ACLs of the "limited" key's user (a sub-user without firewall rights). */
export const VULTR_LIMITED_ACLS = ["subscriptions_view", "subscriptions", "provisioning", "dns"];
const OWNER_ACLS = [
  "manage_users",
  "subscriptions_view",
  "subscriptions",
  "billing",
  "support",
  "provisioning",
  "dns",
  "abuse",
  "upgrade",
  "firewall",
  "alerts",
  "objstore",
  "loadbalancer",
];

export interface VultrSimOptions extends SimServerOptions {
  /** An instance is active after this many reads of it (default 2)… */
  pollsToActive?: number;
  /** …or this long after creation on the simulator's clock (default: never by time). */
  bootMs?: number;
  /** Plans beyond the three real ones, to make the list span pages (default 0). */
  extraSizes?: number;
}

interface VInstance {
  id: string;
  label: string;
  hostname: string;
  status: "pending" | "active";
  created: number;
  polls: number;
  region: string;
  plan: string;
  osId: number;
  tags: string[];
  firewallGroupId: string;
  keys: string[];
  userData: string | undefined;
  password: string;
}
interface VGroup {
  id: string;
  description: string;
  created: number;
  rules: { id: number; ip_type: string; protocol: string; port: string; subnet: string; subnet_size: number; notes: string }[];
}
interface VKey {
  id: string;
  name: string;
  ssh_key: string;
  created: number;
}

const REGIONS = [
  { id: "ewr", city: "New Jersey", country: "US", continent: "North America", options: ["ddos_protection"] },
  { id: "ord", city: "Chicago", country: "US", continent: "North America", options: ["ddos_protection"] },
  { id: "fra", city: "Frankfurt", country: "DE", continent: "Europe", options: ["ddos_protection"] },
  { id: "ams", city: "Amsterdam", country: "NL", continent: "Europe", options: ["ddos_protection"] },
  { id: "nrt", city: "Tokyo", country: "JP", continent: "Asia", options: [] },
  { id: "syd", city: "Sydney", country: "AU", continent: "Australia", options: [] },
];

interface VPlan {
  id: string;
  vcpu_count: number;
  ram: number;
  disk: number;
  monthly_cost: number;
}
const REAL_PLANS: VPlan[] = [
  { id: "vc2-1c-2gb", vcpu_count: 1, ram: 2048, disk: 55, monthly_cost: 10 },
  { id: "vc2-2c-4gb", vcpu_count: 2, ram: 4096, disk: 80, monthly_cost: 20 },
  { id: "vc2-4c-8gb", vcpu_count: 4, ram: 8192, disk: 160, monthly_cost: 40 },
];

export class VultrSimulator implements ConformanceSim {
  readonly instances = new Map<string, VInstance>();
  readonly groups = new Map<string, VGroup>();
  readonly keys = new Map<string, VKey>();
  readonly plans: VPlan[];
  readonly server: SimServer;
  readonly #pollsToActive: number;
  readonly #bootMs: number;
  #nextRule = 1;

  constructor(o: VultrSimOptions = {}) {
    this.#pollsToActive = o.pollsToActive ?? 2;
    this.#bootMs = o.bootMs ?? Number.POSITIVE_INFINITY;
    this.plans = [...REAL_PLANS];
    for (let i = 0; i < (o.extraSizes ?? 0); i++) {
      this.plans.push({
        id: `vc2-sim-${i + 1}`,
        vcpu_count: 1 + (i % 24),
        ram: 1024 * (1 + (i % 96)),
        disk: 25 + i,
        monthly_cost: 5 + (i % 200),
      });
    }
    const tokens = new Map<string, TokenInfo>([
      [VULTR_TOKENS.valid, { label: "valid", grants: new Set(OWNER_ACLS) }],
      [VULTR_TOKENS.revoked, { label: "revoked", grants: "all", revoked: true }],
      [VULTR_TOKENS.limited, { label: "limited", grants: new Set(VULTR_LIMITED_ACLS) }],
    ]);
    this.server = new SimServer(profile(), this.#routes(), tokens, o);
  }

  get url(): string {
    return this.server.url;
  }
  get requests(): readonly SimExchange[] {
    return this.server.requests;
  }
  get clock(): Clock {
    return this.server.clock;
  }
  start = () => this.server.start();
  stop = () => this.server.stop();
  injectFault(kind: FaultKind, opts?: FaultOptions): void {
    this.server.injectFault(kind, opts);
  }
  clearFaults(): void {
    this.server.clearFaults();
  }

  serverCount(): number {
    return this.instances.size;
  }
  serverIds(): string[] {
    return [...this.instances.keys()];
  }
  firewallOf(serverId: string): SimFirewallView | undefined {
    const i = this.instances.get(serverId);
    const g = i?.firewallGroupId ? this.groups.get(i.firewallGroupId) : undefined;
    if (!g) return undefined;
    // A firewall group accepts only what its rules accept; outbound traffic is not filtered.
    return {
      inbound: g.rules.map((r) => ({ protocol: r.protocol, ports: r.port, sources: [`${r.subnet}/${r.subnet_size}`] })),
      outboundAllowed: true,
    };
  }
  sshKeysOf(serverId: string): string[] {
    return this.instances.get(serverId)?.keys ?? [];
  }
  userDataOf(serverId: string): string | undefined {
    return this.instances.get(serverId)?.userData;
  }
  firewallCount(): number {
    return this.groups.size;
  }
  sshKeyCount(): number {
    return this.keys.size;
  }
  issuedSecrets(): string[] {
    return [...this.instances.values()].map((i) => i.password).concat(this.#deletedPasswords);
  }
  readonly #deletedPasswords: string[] = [];
  catalog() {
    return { regions: REGIONS.length, sizes: this.plans.length };
  }

  #progress(i: VInstance, now: number) {
    i.polls += 1;
    if (i.status === "pending" && (i.polls >= this.#pollsToActive || now - i.created >= this.#bootMs)) i.status = "active";
  }
  #instanceObj(i: VInstance) {
    const plan = this.plans.find((p) => p.id === i.plan) ?? (REAL_PLANS[0] as VPlan);
    const active = i.status === "active";
    const n = Number.parseInt(i.id.slice(0, 4), 16) % 250;
    return {
      id: i.id,
      os: "Debian 12 x64 (bookworm)",
      ram: plan.ram,
      disk: plan.disk,
      main_ip: active ? `192.0.2.${n}` : "0.0.0.0",
      vcpu_count: plan.vcpu_count,
      region: i.region,
      default_password: i.password,
      date_created: new Date(i.created).toISOString().replace(/\.\d{3}Z$/, "+00:00"),
      status: i.status,
      power_status: active ? "running" : "stopped",
      server_status: active ? "ok" : "none",
      allowed_bandwidth: 2,
      netmask_v4: active ? "255.255.254.0" : "",
      gateway_v4: active ? "192.0.2.1" : "0.0.0.0",
      v6_networks: active ? [{ network: "2001:db8:5400::", main_ip: `2001:db8:5400::${n.toString(16)}`, network_size: 64 }] : [],
      hostname: i.hostname,
      label: i.label,
      tag: "",
      internal_ip: "",
      kvm: "",
      os_id: i.osId,
      app_id: 0,
      image_id: "",
      firewall_group_id: i.firewallGroupId,
      features: ["ipv6"],
      plan: i.plan,
      tags: i.tags,
      user_scheme: "root",
    };
  }
  #groupObj(g: VGroup) {
    const count = [...this.instances.values()].filter((i) => i.firewallGroupId === g.id).length;
    return {
      id: g.id,
      description: g.description,
      date_created: iso(g.created),
      date_modified: iso(g.created),
      instance_count: count,
      rule_count: g.rules.length,
      max_rule_count: 50,
    };
  }
  #ruleObj(r: VGroup["rules"][number]) {
    return {
      id: r.id,
      type: r.ip_type,
      ip_type: r.ip_type,
      action: "accept",
      protocol: r.protocol,
      port: r.port,
      subnet: r.subnet,
      subnet_size: r.subnet_size,
      source: "",
      notes: r.notes,
    };
  }
  #keyObj(k: VKey) {
    return { id: k.id, date_created: iso(k.created), name: k.name, ssh_key: k.ssh_key };
  }
  #paged<T>(ctx: RouteContext, key: string, items: T[]) {
    const p = cursorOf(items, ctx.query, { perPage: 100, max: 500 });
    return { status: 200, body: { [key]: p.slice, meta: { total: p.total, links: { next: p.next, prev: p.prev } } } };
  }

  #routes(): Route[] {
    const r = (method: string, path: string, perms: string[], handle: Route["handle"], op?: SimOperation): Route => ({
      method,
      path,
      perms,
      handle,
      op,
    });
    const notFound = () => err(404, "Not found");
    return [
      r(
        "GET",
        "/account",
        [],
        (ctx) => {
          const acls = ctx.token.grants === "all" ? OWNER_ACLS : [...ctx.token.grants];
          return {
            status: 200,
            body: {
              account: {
                name: "Example Account",
                email: "admin@example.com",
                acls,
                balance: -100.55,
                pending_charges: 6.25,
                last_payment_date: "2026-10-10T01:56:20+00:00",
                last_payment_amount: -1.25,
              },
            },
          };
        },
        "account",
      ),
      r("GET", "/regions", [], (ctx) => this.#paged(ctx, "regions", REGIONS), "list_regions"),
      r(
        "GET",
        "/plans",
        [],
        (ctx) =>
          this.#paged(
            ctx,
            "plans",
            this.plans.map((p) => ({ ...p, name: p.id, bandwidth: 2048, disk_count: 1, type: "vc2", locations: REGIONS.map((x) => x.id) })),
          ),
        "list_sizes",
      ),
      r(
        "GET",
        "/instances",
        ["subscriptions_view"],
        (ctx) => {
          const tag = ctx.query.get("tag");
          const list = [...this.instances.values()].filter((i) => tag === null || i.tags.includes(tag));
          for (const i of list) this.#progress(i, ctx.now);
          return this.#paged(
            ctx,
            "instances",
            list.map((i) => this.#instanceObj(i)),
          );
        },
        "list_servers",
      ),
      r(
        "POST",
        "/instances",
        ["provisioning"],
        (ctx) => {
          const b = (ctx.body ?? {}) as Record<string, unknown>;
          if (typeof b.region !== "string" || !REGIONS.some((x) => x.id === b.region)) return err(400, "Invalid region.");
          if (typeof b.plan !== "string" || !this.plans.some((p) => p.id === b.plan)) return err(400, "Invalid plan chosen.");
          if (typeof b.os_id !== "number") return err(400, "An os_id, iso_id, snapshot_id, app_id or image_id is required.");
          let userData: string | undefined;
          if (b.user_data !== undefined) {
            if (typeof b.user_data !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(b.user_data))
              return err(400, "Invalid user_data: must be base64.");
            userData = Buffer.from(b.user_data, "base64").toString("utf8");
          }
          const keys: string[] = [];
          for (const id of Array.isArray(b.sshkey_id) ? (b.sshkey_id as unknown[]) : []) {
            const k = this.keys.get(String(id));
            if (!k) return err(400, "Invalid SSH key.");
            keys.push(k.ssh_key);
          }
          const groupId = typeof b.firewall_group_id === "string" ? b.firewall_group_id : "";
          if (groupId && !this.groups.has(groupId)) return err(400, "Invalid firewall group.");
          const i: VInstance = {
            id: randomUUID(),
            label: typeof b.label === "string" ? b.label : "",
            hostname: typeof b.hostname === "string" ? b.hostname : "vultr.guest",
            status: "pending",
            created: ctx.now,
            polls: 0,
            region: b.region,
            plan: b.plan,
            osId: b.os_id,
            tags: Array.isArray(b.tags) ? (b.tags as unknown[]).map(String) : [],
            firewallGroupId: groupId,
            keys,
            userData,
            password: fakePassword(this.server.random),
          };
          this.instances.set(i.id, i);
          return { status: 202, body: { instance: this.#instanceObj(i) } };
        },
        "create_server",
      ),
      r(
        "GET",
        "/instances/:id",
        ["subscriptions_view"],
        (ctx) => {
          const i = this.instances.get(ctx.params.id ?? "");
          if (!i) return notFound();
          this.#progress(i, ctx.now);
          return { status: 200, body: { instance: this.#instanceObj(i) } };
        },
        "get_server",
      ),
      r(
        "DELETE",
        "/instances/:id",
        ["subscriptions"],
        (ctx) => {
          const i = this.instances.get(ctx.params.id ?? "");
          if (!i) return notFound();
          this.#deletedPasswords.push(i.password);
          this.instances.delete(i.id);
          return { status: 204 };
        },
        "delete_server",
      ),
      r(
        "POST",
        "/instances/:id/reboot",
        ["subscriptions"],
        (ctx) => (this.instances.has(ctx.params.id ?? "") ? { status: 204 } : notFound()),
        "reboot_server",
      ),
      r(
        "GET",
        "/firewalls",
        ["firewall"],
        (ctx) =>
          this.#paged(
            ctx,
            "firewall_groups",
            [...this.groups.values()].map((g) => this.#groupObj(g)),
          ),
        "list_firewalls",
      ),
      r(
        "POST",
        "/firewalls",
        ["firewall"],
        (ctx) => {
          const b = (ctx.body ?? {}) as Record<string, unknown>;
          const g: VGroup = {
            id: randomUUID().slice(0, 8),
            description: typeof b.description === "string" ? b.description : "",
            created: ctx.now,
            rules: [],
          };
          this.groups.set(g.id, g);
          return { status: 201, body: { firewall_group: this.#groupObj(g) } };
        },
        "create_firewall",
      ),
      r(
        "DELETE",
        "/firewalls/:id",
        ["firewall"],
        (ctx) => (this.groups.delete(ctx.params.id ?? "") ? { status: 204 } : notFound()),
        "delete_firewall",
      ),
      r("GET", "/firewalls/:id/rules", ["firewall"], (ctx) => {
        const g = this.groups.get(ctx.params.id ?? "");
        return g
          ? this.#paged(
              ctx,
              "firewall_rules",
              g.rules.map((x) => this.#ruleObj(x)),
            )
          : notFound();
      }),
      r("POST", "/firewalls/:id/rules", ["firewall"], (ctx) => {
        const g = this.groups.get(ctx.params.id ?? "");
        if (!g) return notFound();
        const b = (ctx.body ?? {}) as Record<string, unknown>;
        if (b.ip_type !== "v4" && b.ip_type !== "v6") return err(400, "Invalid ip_type.");
        if (!["tcp", "udp", "icmp", "gre", "esp", "ah"].includes(String(b.protocol))) return err(400, "Invalid protocol.");
        if (typeof b.subnet !== "string" || typeof b.subnet_size !== "number") return err(400, "Invalid subnet.");
        const rule = {
          id: this.#nextRule++,
          ip_type: b.ip_type,
          protocol: String(b.protocol),
          port: typeof b.port === "string" ? b.port : "",
          subnet: b.subnet,
          subnet_size: b.subnet_size,
          notes: typeof b.notes === "string" ? b.notes : "",
        };
        g.rules.push(rule);
        return { status: 201, body: { firewall_rule: this.#ruleObj(rule) } };
      }),
      r(
        "GET",
        "/ssh-keys",
        [],
        (ctx) =>
          this.#paged(
            ctx,
            "ssh_keys",
            [...this.keys.values()].map((k) => this.#keyObj(k)),
          ),
        "list_ssh_keys",
      ),
      r(
        "POST",
        "/ssh-keys",
        [],
        (ctx) => {
          const b = (ctx.body ?? {}) as Record<string, unknown>;
          if (typeof b.name !== "string" || !looksLikePublicKey(b.ssh_key)) return err(400, "Invalid SSH key.");
          const k: VKey = { id: randomUUID(), name: b.name, ssh_key: b.ssh_key, created: ctx.now };
          this.keys.set(k.id, k);
          return { status: 201, body: { ssh_key: this.#keyObj(k) } };
        },
        "create_ssh_key",
      ),
      r("DELETE", "/ssh-keys/:id", [], (ctx) => (this.keys.delete(ctx.params.id ?? "") ? { status: 204 } : notFound()), "delete_ssh_key"),
    ];
  }
}

function err(status: number, message: string) {
  return { status, body: { error: message, status } };
}

class VultrRateLimiter implements RateLimiter {
  readonly second = new SlidingWindow(30, 1000);
  take(key: string, now: number) {
    if (!this.second.allowed(key, now)) return { ok: false as const, headers: {}, retryAfterSeconds: 1 };
    this.second.record(key, now);
    return { ok: true as const, headers: {} };
  }
}

function profile(): ProviderProfile {
  return {
    basePath: "/v2",
    rateKey: "address",
    error: (status, _code, message) => err(status, message),
    unauthorized: () => err(401, "Invalid API token."),
    forbidden: () => err(403, "Unauthorized to access this resource."),
    rateLimiter: new VultrRateLimiter(),
    injectedRateLimit: () => err(429, "Rate limit exceeded."),
  };
}

export async function startVultrSimulator(o: VultrSimOptions = {}): Promise<VultrSimulator> {
  const sim = new VultrSimulator(o);
  await sim.start();
  return sim;
}
