// Hetzner Cloud's wire format for the simulator in hetzner.ts: locations and server types with
// per-location prices, the state it keeps, the objects it answers with, its errors and its rate
// limit (3,600 requests an hour per project, refilling one a second).

import { iso, type ProviderProfile, pageOf, type RateLimiter, type RouteContext, TokenBucket } from "./core.ts";

export interface HServer {
  id: number;
  name: string;
  status: string;
  created: number;
  polls: number;
  type: string;
  location: string;
  labels: Record<string, string>;
  keys: string[];
  firewalls: number[];
  userData: string | undefined;
}
export interface HFirewall {
  id: number;
  name: string;
  created: number;
  labels: Record<string, string>;
  rules: {
    direction: string;
    protocol: string;
    port: string | null;
    source_ips: string[];
    destination_ips: string[];
    description: string | null;
  }[];
}
export interface HKey {
  id: number;
  name: string;
  public_key: string;
  fingerprint: string;
  labels: Record<string, string>;
  created: number;
}
export interface HAction {
  id: number;
  command: string;
  resources: { id: number; type: string }[];
  started: number;
  polls: number;
  done: boolean;
  onDone?: () => void;
}

export const LOCATIONS = [
  {
    id: 1,
    name: "fsn1",
    description: "Falkenstein DC Park 1",
    city: "Falkenstein",
    country: "DE",
    latitude: 50.47612,
    longitude: 12.370071,
    network_zone: "eu-central",
  },
  {
    id: 2,
    name: "nbg1",
    description: "Nuremberg DC Park 1",
    city: "Nuremberg",
    country: "DE",
    latitude: 49.452102,
    longitude: 11.076665,
    network_zone: "eu-central",
  },
  {
    id: 3,
    name: "hel1",
    description: "Helsinki DC Park 1",
    city: "Helsinki",
    country: "FI",
    latitude: 60.169855,
    longitude: 24.938379,
    network_zone: "eu-central",
  },
  {
    id: 4,
    name: "ash",
    description: "Ashburn, VA",
    city: "Ashburn, VA",
    country: "US",
    latitude: 39.045821,
    longitude: -77.487073,
    network_zone: "us-east",
  },
  {
    id: 5,
    name: "hil",
    description: "Hillsboro, OR",
    city: "Hillsboro, OR",
    country: "US",
    latitude: 45.54222,
    longitude: -122.951924,
    network_zone: "us-west",
  },
  {
    id: 6,
    name: "sin",
    description: "Singapore",
    city: "Singapore",
    country: "SG",
    latitude: 1.283333,
    longitude: 103.833333,
    network_zone: "ap-southeast",
  },
];

export interface HType {
  id: number;
  name: string;
  cores: number;
  memory: number;
  disk: number;
  eur: number;
}
export const REAL_TYPES: HType[] = [
  { id: 104, name: "cx22", cores: 2, memory: 4, disk: 40, eur: 3.79 },
  { id: 105, name: "cx32", cores: 4, memory: 8, disk: 80, eur: 6.8 },
  { id: 22, name: "cpx21", cores: 3, memory: 4, disk: 80, eur: 7.55 },
];

const money = (n: number) => ({ net: n.toFixed(10), gross: (n * 1.19).toFixed(10) });

// --- wire objects ---

export function typeObj(t: HType) {
  return {
    architecture: "x86",
    category: "cost_optimized",
    cores: t.cores,
    cpu_type: "shared",
    deprecated: false,
    deprecation: null,
    description: t.name.toUpperCase(),
    disk: t.disk,
    id: t.id,
    locations: LOCATIONS.map((l) => ({ deprecation: null, id: l.id, name: l.name })),
    memory: t.memory,
    name: t.name,
    prices: LOCATIONS.map((l) => {
      const factor = l.network_zone === "eu-central" ? 1 : 1.25;
      return {
        included_traffic: 21990232555520,
        location: l.name,
        price_hourly: money(Math.round((t.eur * factor) / 0.73) / 1000),
        price_monthly: money(Math.round(t.eur * factor * 100) / 100),
        price_per_tb_traffic: money(1),
      };
    }),
    storage_type: "local",
  };
}

function location(name: string) {
  return LOCATIONS.find((l) => l.name === name) ?? (LOCATIONS[0] as (typeof LOCATIONS)[number]);
}

export function serverObj(s: HServer, types: readonly HType[]) {
  const t = types.find((x) => x.name === s.type) ?? (REAL_TYPES[0] as HType);
  const loc = location(s.location);
  const running = s.status !== "initializing";
  return {
    backup_window: null,
    created: iso(s.created),
    datacenter: {
      description: `${loc.description} virtual DC 1`,
      id: loc.id,
      location: loc,
      name: `${loc.name}-dc1`,
      server_types: {
        available: types.map((x) => x.id),
        available_for_migration: types.map((x) => x.id),
        supported: types.map((x) => x.id),
      },
    },
    id: s.id,
    image: {
      architecture: "x86",
      bound_to: null,
      created: "2023-06-13T06:00:02Z",
      created_from: null,
      deleted: null,
      deprecated: null,
      description: "Debian 12",
      disk_size: 5,
      id: 114690387,
      image_size: null,
      labels: {},
      name: "debian-12",
      os_flavor: "debian",
      os_version: "12",
      protection: { delete: false },
      rapid_deploy: true,
      status: "available",
      type: "system",
    },
    included_traffic: 21990232555520,
    ingoing_traffic: running ? 0 : null,
    iso: null,
    labels: s.labels,
    load_balancers: [],
    location: loc,
    locked: false,
    name: s.name,
    outgoing_traffic: running ? 0 : null,
    placement_group: null,
    primary_disk_size: t.disk,
    private_net: [],
    protection: { delete: false, rebuild: false },
    public_net: {
      firewalls: s.firewalls.map((id) => ({ id, status: "applied" })),
      floating_ips: [],
      ipv4: { blocked: false, dns_ptr: `static.${s.id}.clients.your-server.de`, id: s.id + 1000, ip: `198.51.100.${s.id % 250}` },
      ipv6: { blocked: false, dns_ptr: [], id: s.id + 2000, ip: `2001:db8:${(s.id % 65535).toString(16)}::/64` },
    },
    rescue_enabled: false,
    server_type: typeObj(t),
    status: s.status,
    volumes: [],
  };
}

export function actionObj(a: HAction) {
  return {
    command: a.command,
    error: null,
    finished: a.done ? iso(a.started + 1000) : null,
    id: a.id,
    progress: a.done ? 100 : 0,
    resources: a.resources,
    started: iso(a.started),
    status: a.done ? "success" : "running",
  };
}

export function firewallObj(f: HFirewall, servers: Iterable<HServer>) {
  const appliedTo = [...servers].filter((s) => s.firewalls.includes(f.id)).map((s) => ({ type: "server", server: { id: s.id } }));
  return { applied_to: appliedTo, created: iso(f.created), id: f.id, labels: f.labels, name: f.name, rules: f.rules };
}

export function keyObj(k: HKey) {
  return { created: iso(k.created), fingerprint: k.fingerprint, id: k.id, labels: k.labels, name: k.name, public_key: k.public_key };
}

export function paged<T>(ctx: RouteContext, key: string, items: T[]) {
  const p = pageOf(items, ctx.query, { perPage: 25, max: 50 });
  return {
    status: 200,
    body: {
      [key]: p.slice,
      meta: {
        pagination: {
          last_page: p.lastPage,
          next_page: p.page < p.lastPage ? p.page + 1 : null,
          page: p.page,
          per_page: p.perPage,
          previous_page: p.page > 1 ? p.page - 1 : null,
          total_entries: p.total,
        },
      },
    },
  };
}

export function err(status: number, code: string, message: string) {
  return { status, body: { error: { code, message, details: null } } };
}

class HetznerRateLimiter implements RateLimiter {
  readonly bucket = new TokenBucket(3600, 1);
  take(key: string, now: number) {
    const t = this.bucket.take(key, now);
    const headers = {
      "ratelimit-limit": "3600",
      "ratelimit-remaining": String(t.remaining),
      "ratelimit-reset": String(Math.ceil(t.fullAt / 1000)),
    };
    return t.ok ? { ok: true as const, headers } : { ok: false as const, headers, retryAfterSeconds: 1 };
  }
}

export function profile(): ProviderProfile {
  return {
    basePath: "/v1",
    rateKey: "token",
    error: (status, code, message) => err(status, code, message),
    unauthorized: () => err(401, "unauthorized", "unable to authenticate"),
    forbidden: () => err(403, "token_readonly", "The token is read-only and cannot perform this operation"),
    rateLimiter: new HetznerRateLimiter(),
    injectedRateLimit: (seconds, now) => ({
      ...err(429, "rate_limit_exceeded", "Rate limit exceeded"),
      headers: { "ratelimit-limit": "3600", "ratelimit-remaining": "0", "ratelimit-reset": String(Math.ceil(now / 1000) + seconds) },
    }),
  };
}
