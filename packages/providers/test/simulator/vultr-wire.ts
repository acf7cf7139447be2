// Vultr's wire format for the simulator in vultr.ts: regions and plans, the state it keeps, the
// objects it answers with, cursor pagination, its errors and its rate limit (30 requests a second
// per client address).

import { cursorOf, iso, type ProviderProfile, type RateLimiter, type RouteContext, SlidingWindow } from "./core.ts";

export const OWNER_ACLS = [
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

export interface VInstance {
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
export interface VGroup {
  id: string;
  description: string;
  created: number;
  rules: { id: number; ip_type: string; protocol: string; port: string; subnet: string; subnet_size: number; notes: string }[];
}
export interface VKey {
  id: string;
  name: string;
  ssh_key: string;
  created: number;
}

export const REGIONS = [
  { id: "ewr", city: "New Jersey", country: "US", continent: "North America", options: ["ddos_protection"] },
  { id: "ord", city: "Chicago", country: "US", continent: "North America", options: ["ddos_protection"] },
  { id: "fra", city: "Frankfurt", country: "DE", continent: "Europe", options: ["ddos_protection"] },
  { id: "ams", city: "Amsterdam", country: "NL", continent: "Europe", options: ["ddos_protection"] },
  { id: "nrt", city: "Tokyo", country: "JP", continent: "Asia", options: [] },
  { id: "syd", city: "Sydney", country: "AU", continent: "Australia", options: [] },
];

export interface VPlan {
  id: string;
  vcpu_count: number;
  ram: number;
  disk: number;
  monthly_cost: number;
}
export const REAL_PLANS: VPlan[] = [
  { id: "vc2-1c-2gb", vcpu_count: 1, ram: 2048, disk: 55, monthly_cost: 10 },
  { id: "vc2-2c-4gb", vcpu_count: 2, ram: 4096, disk: 80, monthly_cost: 20 },
  { id: "vc2-4c-8gb", vcpu_count: 4, ram: 8192, disk: 160, monthly_cost: 40 },
];

// --- wire objects ---

export function instanceObj(i: VInstance, plans: readonly VPlan[]) {
  const plan = plans.find((p) => p.id === i.plan) ?? (REAL_PLANS[0] as VPlan);
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

export function groupObj(g: VGroup, instances: Iterable<VInstance>) {
  const count = [...instances].filter((i) => i.firewallGroupId === g.id).length;
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

export function ruleObj(r: VGroup["rules"][number]) {
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

export function keyObj(k: VKey) {
  return { id: k.id, date_created: iso(k.created), name: k.name, ssh_key: k.ssh_key };
}

export function paged<T>(ctx: RouteContext, key: string, items: T[]) {
  const p = cursorOf(items, ctx.query, { perPage: 100, max: 500 });
  return { status: 200, body: { [key]: p.slice, meta: { total: p.total, links: { next: p.next, prev: p.prev } } } };
}

export function err(status: number, message: string) {
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

export function profile(): ProviderProfile {
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
