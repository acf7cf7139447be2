// DigitalOcean's wire format for the simulator in digitalocean.ts: its catalog, the state it keeps,
// the objects it answers with, its errors and its rate limits (250 requests a minute and 5,000 an
// hour per token, 10 SSH-key listings a minute).

import { iso, type ProviderProfile, pageOf, type RateLimiter, type RouteContext, SlidingWindow } from "./core.ts";

export interface Droplet {
  id: number;
  name: string;
  status: "new" | "active" | "off" | "archive";
  created: number;
  polls: number;
  region: string;
  size: string;
  image: string | number;
  tags: string[];
  keys: string[];
  userData: string | undefined;
  ipv4?: string;
  ipv6?: string;
}

export interface Firewall {
  id: string;
  name: string;
  created: number;
  inbound_rules: { protocol: string; ports: string; sources: { addresses?: string[]; tags?: string[] } }[];
  outbound_rules: { protocol: string; ports: string; destinations: { addresses?: string[] } }[];
  droplet_ids: number[];
  tags: string[];
}

export interface Key {
  id: number;
  name: string;
  public_key: string;
  fingerprint: string;
}

export const REGIONS: [string, string][] = [
  ["nyc1", "New York 1"],
  ["nyc3", "New York 3"],
  ["sfo3", "San Francisco 3"],
  ["ams3", "Amsterdam 3"],
  ["fra1", "Frankfurt 1"],
  ["lon1", "London 1"],
  ["sgp1", "Singapore 1"],
  ["tor1", "Toronto 1"],
  ["blr1", "Bangalore 1"],
  ["syd1", "Sydney 1"],
];

export interface Size {
  slug: string;
  vcpus: number;
  memory: number;
  disk: number;
  price_monthly: number;
}

export const REAL_SIZES: Size[] = [
  { slug: "s-1vcpu-1gb", vcpus: 1, memory: 1024, disk: 25, price_monthly: 6 },
  { slug: "s-1vcpu-2gb", vcpus: 1, memory: 2048, disk: 50, price_monthly: 12 },
  { slug: "s-2vcpu-4gb", vcpus: 2, memory: 4096, disk: 80, price_monthly: 24 },
  { slug: "s-4vcpu-8gb", vcpus: 4, memory: 8192, disk: 160, price_monthly: 48 },
];

const isAddress = (a: string) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(a) && (a.includes(".") || a.includes(":"));

// --- wire objects ---

export function sizeObj(s: Size) {
  return {
    slug: s.slug,
    memory: s.memory,
    vcpus: s.vcpus,
    disk: s.disk,
    transfer: 2.0,
    price_monthly: s.price_monthly,
    price_hourly: Math.round((s.price_monthly / 672) * 100000) / 100000,
    regions: REGIONS.map(([slug]) => slug),
    available: true,
    description: "Basic",
  };
}

export function regionObj(slug: string, sizes: readonly Size[]) {
  const name = REGIONS.find(([s]) => s === slug)?.[1] ?? slug;
  return {
    name,
    slug,
    features: ["backups", "ipv6", "metadata", "install_agent"],
    available: true,
    sizes: sizes.map((s) => s.slug),
  };
}

/** The Debian image every droplet runs, up to the fields where droplet and image listings differ. */
const debianImage = () => ({
  id: 165064181,
  name: "12 x64",
  type: "base",
  distribution: "Debian",
  slug: "debian-12-x64",
  public: true,
  regions: REGIONS.map(([slug]) => slug),
  created_at: "2024-06-11T18:47:55Z",
  min_disk_size: 15,
  size_gigabytes: 1.17,
});

export const imageObj = () => ({ ...debianImage(), description: "Debian 12 x64", tags: [], status: "available" });

export function dropletObj(d: Droplet, sizes: readonly Size[]) {
  const size = sizes.find((s) => s.slug === d.size) ?? REAL_SIZES[0];
  if (!size) throw new Error("no size");
  return {
    id: d.id,
    name: d.name,
    memory: size.memory,
    vcpus: size.vcpus,
    disk: size.disk,
    locked: false,
    status: d.status,
    created_at: iso(d.created),
    features: ["droplet_agent", "private_networking"],
    backup_ids: [],
    next_backup_window: null,
    snapshot_ids: [],
    image: { ...debianImage(), status: "available", tags: [] },
    volume_ids: [],
    size: sizeObj(size),
    size_slug: d.size,
    networks: {
      v4: d.ipv4 ? [{ ip_address: d.ipv4, netmask: "255.255.240.0", gateway: "203.0.113.1", type: "public" }] : [],
      v6: d.ipv6 ? [{ ip_address: d.ipv6, netmask: 64, gateway: "2001:db8::1", type: "public" }] : [],
    },
    region: regionObj(d.region, sizes),
    tags: d.tags,
    vpc_uuid: "760e09ef-dc84-11e8-981e-3cfdfeaae000",
  };
}

export function firewallObj(f: Firewall) {
  return {
    id: f.id,
    status: "succeeded",
    created_at: iso(f.created),
    pending_changes: [],
    name: f.name,
    droplet_ids: f.droplet_ids,
    tags: f.tags,
    inbound_rules: f.inbound_rules,
    outbound_rules: f.outbound_rules,
  };
}

export function keyObj(k: Key) {
  return { id: k.id, fingerprint: k.fingerprint, public_key: k.public_key, name: k.name };
}

export function paged<T>(ctx: RouteContext, key: string, items: T[]) {
  const p = pageOf(items, ctx.query, { perPage: 20, max: 200 });
  if (p.requested > 200) return err(422, "unprocessable_entity", "per_page must be at most 200.");
  const link = (n: number) => `${ctx.apiUrl}${"/v2/"}${key}?page=${n}&per_page=${p.perPage}`;
  const pages: Record<string, string> = {};
  if (p.page < p.lastPage) Object.assign(pages, { next: link(p.page + 1), last: link(p.lastPage) });
  if (p.page > 1) Object.assign(pages, { first: link(1), prev: link(p.page - 1) });
  return { status: 200, body: { [key]: p.slice, links: { pages }, meta: { total: p.total } } };
}

export function parseFirewall(
  body: unknown,
  knownTags: ReadonlySet<string>,
): { fw: Omit<Firewall, "id" | "created"> } | { error: ReturnType<typeof err> } {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.name !== "string" || !/^[a-zA-Z0-9][a-zA-Z0-9.-]+$/.test(b.name))
    return { error: err(400, "bad_request", "name must contain only letters, numbers, '.' and '-'.") };
  const inbound = (Array.isArray(b.inbound_rules) ? b.inbound_rules : []) as Firewall["inbound_rules"];
  const outbound = (Array.isArray(b.outbound_rules) ? b.outbound_rules : []) as Firewall["outbound_rules"];
  if (!Array.isArray(b.inbound_rules) && !Array.isArray(b.outbound_rules))
    return { error: err(400, "bad_request", "at least one rule must be specified") };
  for (const rule of inbound) {
    if (!["tcp", "udp", "icmp"].includes(rule.protocol)) return { error: err(400, "bad_request", `invalid protocol ${rule.protocol}`) };
    if ((rule.sources?.addresses ?? []).some((a) => !isAddress(a)))
      return { error: err(400, "bad_request", "invalid address in inbound rule sources") };
  }
  const tags = Array.isArray(b.tags) ? (b.tags as string[]) : [];
  const unknownTag = tags.find((t) => !knownTags.has(t));
  if (unknownTag) return { error: err(400, "bad_request", `tag ${unknownTag} does not exist`) };
  const dropletIds = Array.isArray(b.droplet_ids) ? (b.droplet_ids as number[]) : [];
  return { fw: { name: b.name, inbound_rules: inbound, outbound_rules: outbound, droplet_ids: dropletIds, tags } };
}

export function err(status: number, id: string, message: string) {
  return { status, body: { id, message, request_id: "4d9d8375-3c56-4925-a3e7-eb137fed17e9" } };
}

const DO_CODES: Record<string, string> = {
  rate_limit_exceeded: "too_many_requests",
  json_error: "bad_request",
  server_error: "server_error",
  not_found: "not_found",
};

class DoRateLimiter implements RateLimiter {
  readonly minute = new SlidingWindow(250, 60_000);
  readonly hour = new SlidingWindow(5000, 3_600_000);
  readonly keyListing = new SlidingWindow(10, 60_000);
  take(key: string, now: number, ctx: { method: string; path: string }) {
    const headers = () => ({
      "ratelimit-limit": "5000",
      "ratelimit-remaining": String(this.hour.remaining(key, now)),
      "ratelimit-reset": String(Math.ceil(this.hour.oldestExpiry(key, now) / 1000)),
    });
    if (!this.hour.allowed(key, now))
      return { ok: false as const, headers: headers(), retryAfterSeconds: Math.ceil((this.hour.oldestExpiry(key, now) - now) / 1000) };
    if (!this.minute.allowed(key, now)) {
      const wait = Math.max(1, Math.ceil((this.minute.oldestExpiry(key, now) - now) / 1000));
      return { ok: false as const, headers: { ...headers(), "retry-after": String(wait) }, retryAfterSeconds: wait };
    }
    const listingKeys = ctx.method === "GET" && ctx.path === "/v2/account/keys";
    if (listingKeys && !this.keyListing.allowed(key, now)) {
      const wait = Math.max(1, Math.ceil((this.keyListing.oldestExpiry(key, now) - now) / 1000));
      return { ok: false as const, headers: { ...headers(), "retry-after": String(wait) }, retryAfterSeconds: wait };
    }
    this.hour.record(key, now);
    this.minute.record(key, now);
    if (listingKeys) this.keyListing.record(key, now);
    return { ok: true as const, headers: headers() };
  }
}

export function profile(): ProviderProfile {
  return {
    basePath: "",
    rateKey: "token",
    error: (status, code, message) => err(status, DO_CODES[code] ?? code, message),
    unauthorized: () => err(401, "unauthorized", "Unable to authenticate you."),
    forbidden: () => err(403, "forbidden", "You are not authorized to perform this operation"),
    rateLimiter: new DoRateLimiter(),
    injectedRateLimit: (seconds, now) => ({
      ...err(429, "too_many_requests", "API rate limit exceeded."),
      headers: {
        "ratelimit-limit": "5000",
        "ratelimit-remaining": "0",
        "ratelimit-reset": String(Math.ceil(now / 1000) + seconds),
        "retry-after": String(seconds),
      },
    }),
  };
}
