// A stateful DigitalOcean API v2 simulator: droplets (new → active), tags, cloud firewalls, SSH
// keys, regions and sizes with prices, custom-scoped tokens, and DigitalOcean's rate limits
// (250 requests a minute and 5,000 an hour per token, 10 SSH-key listings a minute) with its
// headers. Responses follow digitalocean.openapi.yaml: the contract tests validate every one.

import { createHash } from "node:crypto";
import {
  type Clock,
  hasGrant,
  iso,
  looksLikePublicKey,
  type ProviderProfile,
  pageOf,
  type RateLimiter,
  type Route,
  type RouteContext,
  SimServer,
  type SimServerOptions,
  SlidingWindow,
  type TokenInfo,
} from "./core.ts";
import type { ConformanceSim, FaultKind, FaultOptions, SimExchange, SimFirewallView, SimOperation } from "./types.ts";

export const DO_TOKENS = {
  valid: "dop_v1_simvalid0000000000000000000000000000000000000000000000000000",
  revoked: "dop_v1_simrevoked000000000000000000000000000000000000000000000000",
  limited: "dop_v1_simlimited000000000000000000000000000000000000000000000000",
} as const;

/** Every custom scope the simulated API knows (those of the endpoints it serves). */
export const DO_ALL_SCOPES = [
  "account:read",
  "actions:read",
  "droplet:create",
  "droplet:read",
  "droplet:update",
  "droplet:delete",
  "firewall:create",
  "firewall:read",
  "firewall:update",
  "firewall:delete",
  "image:read",
  "regions:read",
  "sizes:read",
  "ssh_key:create",
  "ssh_key:read",
  "ssh_key:delete",
  "tag:create",
  "tag:read",
];
/** What the "limited" token lacks. */
export const DO_LIMITED_LACKS = ["firewall:create", "firewall:update", "firewall:delete", "tag:read"];

export interface DigitalOceanSimOptions extends SimServerOptions {
  /** A droplet is active after this many reads of it (default 2)… */
  pollsToActive?: number;
  /** …or this long after creation on the simulator's clock (default: never by time). */
  bootMs?: number;
  /** Sizes beyond the three real ones, to make the list span pages (default 0). */
  extraSizes?: number;
}

interface Droplet {
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

interface Firewall {
  id: string;
  name: string;
  created: number;
  inbound_rules: { protocol: string; ports: string; sources: { addresses?: string[]; tags?: string[] } }[];
  outbound_rules: { protocol: string; ports: string; destinations: { addresses?: string[] } }[];
  droplet_ids: number[];
  tags: string[];
}

interface Key {
  id: number;
  name: string;
  public_key: string;
  fingerprint: string;
}

const REGIONS: [string, string][] = [
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

const REAL_SIZES = [
  { slug: "s-1vcpu-1gb", vcpus: 1, memory: 1024, disk: 25, price_monthly: 6 },
  { slug: "s-1vcpu-2gb", vcpus: 1, memory: 2048, disk: 50, price_monthly: 12 },
  { slug: "s-2vcpu-4gb", vcpus: 2, memory: 4096, disk: 80, price_monthly: 24 },
  { slug: "s-4vcpu-8gb", vcpus: 4, memory: 8192, disk: 160, price_monthly: 48 },
];

const md5Fingerprint = (line: string) => {
  const b64 = line.trim().split(/\s+/)[1] ?? "";
  return (createHash("md5").update(Buffer.from(b64, "base64")).digest("hex").match(/../g) ?? []).join(":");
};

const isAddress = (a: string) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(a) && (a.includes(".") || a.includes(":"));

export class DigitalOceanSimulator implements ConformanceSim {
  readonly droplets = new Map<number, Droplet>();
  readonly firewalls = new Map<string, Firewall>();
  readonly keys = new Map<number, Key>();
  readonly tags = new Set<string>();
  readonly server: SimServer;
  readonly sizes: { slug: string; vcpus: number; memory: number; disk: number; price_monthly: number }[];
  readonly #pollsToActive: number;
  readonly #bootMs: number;
  #nextId = 3164444;
  #nextAction = 7515;

  constructor(o: DigitalOceanSimOptions = {}) {
    this.#pollsToActive = o.pollsToActive ?? 2;
    this.#bootMs = o.bootMs ?? Number.POSITIVE_INFINITY;
    this.sizes = [...REAL_SIZES];
    for (let i = 0; i < (o.extraSizes ?? 0); i++) {
      this.sizes.push({
        slug: `sim-${i + 1}vcpu-${(i + 1) * 2}gb`,
        vcpus: 1 + (i % 32),
        memory: 1024 * (2 + (i % 62)),
        disk: 25 + i,
        price_monthly: 6 + i * 0.5,
      });
    }
    const tokens = new Map<string, TokenInfo>([
      [DO_TOKENS.valid, { label: "valid", grants: "all" }],
      [DO_TOKENS.revoked, { label: "revoked", grants: "all", revoked: true }],
      [DO_TOKENS.limited, { label: "limited", grants: new Set(DO_ALL_SCOPES.filter((x) => !DO_LIMITED_LACKS.includes(x))) }],
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

  // --- ConformanceSim ---
  serverCount(): number {
    return this.serverIds().length;
  }
  serverIds(): string[] {
    return [...this.droplets.values()].filter((d) => d.status !== "archive").map((d) => String(d.id));
  }
  firewallOf(serverId: string): SimFirewallView | undefined {
    const d = this.droplets.get(Number(serverId));
    if (!d) return undefined;
    const applied = [...this.firewalls.values()].filter((f) => f.droplet_ids.includes(d.id) || f.tags.some((t) => d.tags.includes(t)));
    if (applied.length === 0) return undefined;
    return {
      inbound: applied.flatMap((f) =>
        f.inbound_rules.map((r) => ({ protocol: r.protocol, ports: r.ports, sources: r.sources.addresses ?? [] })),
      ),
      outboundAllowed: applied.every((f) =>
        f.outbound_rules.some(
          (r) => r.protocol === "tcp" && (r.ports === "0" || r.ports === "all") && (r.destinations.addresses ?? []).includes("0.0.0.0/0"),
        ),
      ),
    };
  }
  sshKeysOf(serverId: string): string[] {
    return this.droplets.get(Number(serverId))?.keys ?? [];
  }
  userDataOf(serverId: string): string | undefined {
    return this.droplets.get(Number(serverId))?.userData;
  }
  firewallCount(): number {
    return this.firewalls.size;
  }
  sshKeyCount(): number {
    return this.keys.size;
  }
  issuedSecrets(): string[] {
    return []; // DigitalOcean e-mails a root password when no key is given; the simulator records none.
  }
  /** Droplets created without an SSH key, for which the real API would have e-mailed a root password. */
  readonly passwordEmails: number[] = [];
  catalog() {
    return { regions: REGIONS.length, sizes: this.sizes.length };
  }

  // --- wire objects ---
  #sizeObj(s: (typeof REAL_SIZES)[number]) {
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
  #regionObj(slug: string) {
    const name = REGIONS.find(([s]) => s === slug)?.[1] ?? slug;
    return {
      name,
      slug,
      features: ["backups", "ipv6", "metadata", "install_agent"],
      available: true,
      sizes: this.sizes.map((s) => s.slug),
    };
  }
  #progress(d: Droplet, now: number) {
    d.polls += 1;
    if (d.status === "new" && (d.polls >= this.#pollsToActive || now - d.created >= this.#bootMs)) {
      d.status = "active";
      d.ipv4 = `203.0.113.${d.id % 250}`;
      d.ipv6 = `2001:db8::${(d.id % 65535).toString(16)}`;
    }
  }
  #dropletObj(d: Droplet) {
    const size = this.sizes.find((s) => s.slug === d.size) ?? REAL_SIZES[0];
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
      image: {
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
        status: "available",
        tags: [],
      },
      volume_ids: [],
      size: this.#sizeObj(size),
      size_slug: d.size,
      networks: {
        v4: d.ipv4 ? [{ ip_address: d.ipv4, netmask: "255.255.240.0", gateway: "203.0.113.1", type: "public" }] : [],
        v6: d.ipv6 ? [{ ip_address: d.ipv6, netmask: 64, gateway: "2001:db8::1", type: "public" }] : [],
      },
      region: this.#regionObj(d.region),
      tags: d.tags,
      vpc_uuid: "760e09ef-dc84-11e8-981e-3cfdfeaae000",
    };
  }
  #firewallObj(f: Firewall) {
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
  #keyObj(k: Key) {
    return { id: k.id, fingerprint: k.fingerprint, public_key: k.public_key, name: k.name };
  }
  #paged<T>(ctx: RouteContext, key: string, items: T[]) {
    const p = pageOf(items, ctx.query, { perPage: 20, max: 200 });
    if (p.requested > 200) return err(422, "unprocessable_entity", "per_page must be at most 200.");
    const link = (n: number) => `${ctx.apiUrl}${"/v2/"}${key}?page=${n}&per_page=${p.perPage}`;
    const pages: Record<string, string> = {};
    if (p.page < p.lastPage) Object.assign(pages, { next: link(p.page + 1), last: link(p.lastPage) });
    if (p.page > 1) Object.assign(pages, { first: link(1), prev: link(p.page - 1) });
    return { status: 200, body: { [key]: p.slice, links: { pages }, meta: { total: p.total } } };
  }
  #action(type: string, resourceId: number, now: number) {
    return {
      id: this.#nextAction++,
      status: "in-progress",
      type,
      started_at: iso(now),
      completed_at: null,
      resource_id: resourceId,
      resource_type: "droplet",
      region_slug: "nyc3",
    };
  }
  #keyByIdent(ident: string): Key | undefined {
    return /^\d+$/.test(ident) ? this.keys.get(Number(ident)) : [...this.keys.values()].find((k) => k.fingerprint === ident);
  }

  #routes(): Route[] {
    const r = (method: string, path: string, perms: string[], handle: Route["handle"], op?: SimOperation): Route => ({
      method,
      path,
      perms,
      handle,
      op,
    });
    return [
      r(
        "GET",
        "/v2/account",
        ["account:read"],
        () => ({
          status: 200,
          body: {
            account: {
              droplet_limit: 25,
              floating_ip_limit: 3,
              email: "sammy@example.com",
              uuid: "b6fr89dbf6d9156cace5f3c78dc9851d957381ef",
              email_verified: true,
              status: "active",
              status_message: "",
              team: { uuid: "5df3e3004a17e242b7c20ca6c9fc25b701a47ece", name: "Sammy's team" },
            },
          },
        }),
        "account",
      ),
      r(
        "GET",
        "/v2/regions",
        ["regions:read"],
        (ctx) =>
          this.#paged(
            ctx,
            "regions",
            REGIONS.map(([slug]) => this.#regionObj(slug)),
          ),
        "list_regions",
      ),
      r(
        "GET",
        "/v2/sizes",
        ["sizes:read", "regions:read"],
        (ctx) =>
          this.#paged(
            ctx,
            "sizes",
            this.sizes.map((s) => this.#sizeObj(s)),
          ),
        "list_sizes",
      ),
      r("GET", "/v2/actions", ["actions:read"], (ctx) => this.#paged(ctx, "actions", [])),
      r("GET", "/v2/images", ["image:read"], (ctx) =>
        this.#paged(ctx, "images", [
          {
            id: 165064181,
            name: "12 x64",
            type: "base",
            distribution: "Debian",
            slug: "debian-12-x64",
            public: true,
            regions: REGIONS.map(([s]) => s),
            created_at: "2024-06-11T18:47:55Z",
            min_disk_size: 15,
            size_gigabytes: 1.17,
            description: "Debian 12 x64",
            tags: [],
            status: "available",
          },
        ]),
      ),
      r("GET", "/v2/tags", ["tag:read"], (ctx) =>
        this.#paged(
          ctx,
          "tags",
          [...this.tags].map((name) => this.#tagObj(name)),
        ),
      ),
      r("POST", "/v2/tags", ["tag:create"], (ctx) => {
        const name = (ctx.body as { name?: unknown } | undefined)?.name;
        if (typeof name !== "string" || !/^[a-zA-Z0-9_\-:]{1,255}$/.test(name))
          return err(400, "bad_request", "Tag names may contain letters, numbers, colons, dashes, and underscores.");
        this.tags.add(name);
        return { status: 201, body: { tag: this.#tagObj(name) } };
      }),
      r(
        "GET",
        "/v2/droplets",
        ["droplet:read"],
        (ctx) => {
          const tag = ctx.query.get("tag_name");
          if (tag !== null && !hasGrant(ctx.token, "tag:read"))
            return err(403, "forbidden", "You are not authorized to perform this operation");
          const list = [...this.droplets.values()].filter((d) => d.status !== "archive" && (tag === null || d.tags.includes(tag)));
          for (const d of list) this.#progress(d, ctx.now);
          return this.#paged(
            ctx,
            "droplets",
            list.map((d) => this.#dropletObj(d)),
          );
        },
        "list_servers",
      ),
      r(
        "POST",
        "/v2/droplets",
        ["droplet:create"],
        (ctx) => {
          const b = (ctx.body ?? {}) as Record<string, unknown>;
          if (typeof b.name !== "string" || typeof b.size !== "string" || (typeof b.image !== "string" && typeof b.image !== "number")) {
            return err(422, "unprocessable_entity", "name, size and image are required.");
          }
          if (!this.sizes.some((s) => s.slug === b.size))
            return err(422, "unprocessable_entity", "You specified an invalid size for Droplet creation.");
          const region = typeof b.region === "string" ? b.region : "nyc3";
          if (!REGIONS.some(([s]) => s === region))
            return err(422, "unprocessable_entity", "You specified an invalid region for Droplet creation.");
          if (typeof b.user_data === "string" && Buffer.byteLength(b.user_data) > 64 * 1024)
            return err(422, "unprocessable_entity", "user_data is too large: the limit is 64 KiB.");
          const keyRefs = Array.isArray(b.ssh_keys) ? (b.ssh_keys as unknown[]) : [];
          const keys: string[] = [];
          for (const ref of keyRefs) {
            const k = this.#keyByIdent(String(ref));
            if (!k) return err(422, "unprocessable_entity", `SSH key ${String(ref)} was not found.`);
            keys.push(k.public_key);
          }
          const tags = Array.isArray(b.tags) ? (b.tags as unknown[]).map(String) : [];
          if (tags.some((t) => !/^[a-zA-Z0-9_\-:]{1,255}$/.test(t)))
            return err(422, "unprocessable_entity", "Tag names may contain letters, numbers, colons, dashes, and underscores.");
          for (const t of tags) this.tags.add(t);
          const id = this.#nextId++;
          const d: Droplet = {
            id,
            name: b.name,
            status: "new",
            created: ctx.now,
            polls: 0,
            region,
            size: b.size,
            image: b.image,
            tags,
            keys,
            userData: typeof b.user_data === "string" ? b.user_data : undefined,
          };
          this.droplets.set(id, d);
          if (keys.length === 0) this.passwordEmails.push(id);
          const action = this.#action("create", id, ctx.now);
          return {
            status: 202,
            body: {
              droplet: this.#dropletObj(d),
              links: { actions: [{ id: action.id, rel: "create", href: `${ctx.apiUrl}/v2/actions/${action.id}` }] },
            },
          };
        },
        "create_server",
      ),
      r("DELETE", "/v2/droplets", ["droplet:delete"], (ctx) => {
        const tag = ctx.query.get("tag_name");
        if (!tag) return err(422, "unprocessable_entity", "tag_name is required.");
        for (const d of this.droplets.values()) if (d.tags.includes(tag)) this.droplets.delete(d.id);
        return { status: 204 };
      }),
      r(
        "GET",
        "/v2/droplets/:id",
        ["droplet:read"],
        (ctx) => {
          const d = this.droplets.get(Number(ctx.params.id));
          if (!d || d.status === "archive") return err(404, "not_found", "The resource you were accessing could not be found.");
          this.#progress(d, ctx.now);
          return { status: 200, body: { droplet: this.#dropletObj(d) } };
        },
        "get_server",
      ),
      r(
        "DELETE",
        "/v2/droplets/:id",
        ["droplet:delete"],
        (ctx) => {
          const id = Number(ctx.params.id);
          if (!this.droplets.has(id)) return err(404, "not_found", "The resource you were accessing could not be found.");
          this.droplets.delete(id);
          for (const f of this.firewalls.values()) f.droplet_ids = f.droplet_ids.filter((x) => x !== id);
          return { status: 204 };
        },
        "delete_server",
      ),
      r(
        "POST",
        "/v2/droplets/:id/actions",
        ["droplet:update"],
        (ctx) => {
          const d = this.droplets.get(Number(ctx.params.id));
          if (!d) return err(404, "not_found", "The resource you were accessing could not be found.");
          const type = (ctx.body as { type?: unknown } | undefined)?.type;
          if (type !== "reboot") return err(422, "unprocessable_entity", "The simulator supports only reboot.");
          return { status: 201, body: { action: this.#action("reboot", d.id, ctx.now) } };
        },
        "reboot_server",
      ),
      r(
        "GET",
        "/v2/firewalls",
        ["firewall:read"],
        (ctx) =>
          this.#paged(
            ctx,
            "firewalls",
            [...this.firewalls.values()].map((f) => this.#firewallObj(f)),
          ),
        "list_firewalls",
      ),
      r(
        "POST",
        "/v2/firewalls",
        ["firewall:create"],
        (ctx) => {
          const parsed = this.#parseFirewall(ctx.body);
          if ("error" in parsed) return parsed.error;
          const f: Firewall = { ...parsed.fw, id: crypto.randomUUID(), created: ctx.now };
          this.firewalls.set(f.id, f);
          return { status: 202, body: { firewall: this.#firewallObj(f) } };
        },
        "create_firewall",
      ),
      r("PUT", "/v2/firewalls/:id", ["firewall:update"], (ctx) => {
        const existing = this.firewalls.get(ctx.params.id ?? "");
        if (!existing) return err(404, "not_found", "The resource you were accessing could not be found.");
        const parsed = this.#parseFirewall(ctx.body);
        if ("error" in parsed) return parsed.error;
        Object.assign(existing, parsed.fw);
        return { status: 200, body: { firewall: this.#firewallObj(existing) } };
      }),
      r(
        "DELETE",
        "/v2/firewalls/:id",
        ["firewall:delete"],
        (ctx) => {
          if (!this.firewalls.delete(ctx.params.id ?? ""))
            return err(404, "not_found", "The resource you were accessing could not be found.");
          return { status: 204 };
        },
        "delete_firewall",
      ),
      r(
        "GET",
        "/v2/account/keys",
        ["ssh_key:read"],
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
        "/v2/account/keys",
        ["ssh_key:create"],
        (ctx) => {
          const b = (ctx.body ?? {}) as { name?: unknown; public_key?: unknown };
          if (typeof b.name !== "string" || !looksLikePublicKey(b.public_key)) {
            return err(422, "unprocessable_entity", "Key invalid, key should be of the form `type key [comment]`");
          }
          const fingerprint = md5Fingerprint(b.public_key);
          if ([...this.keys.values()].some((k) => k.fingerprint === fingerprint))
            return err(422, "unprocessable_entity", "SSH Key is already in use on your account");
          const k: Key = { id: this.#nextId++, name: b.name, public_key: b.public_key, fingerprint };
          this.keys.set(k.id, k);
          return { status: 201, body: { ssh_key: this.#keyObj(k) } };
        },
        "create_ssh_key",
      ),
      r("GET", "/v2/account/keys/:ident", ["ssh_key:read"], (ctx) => {
        const k = this.#keyByIdent(ctx.params.ident ?? "");
        return k
          ? { status: 200, body: { ssh_key: this.#keyObj(k) } }
          : err(404, "not_found", "The resource you were accessing could not be found.");
      }),
      r(
        "DELETE",
        "/v2/account/keys/:ident",
        ["ssh_key:delete"],
        (ctx) => {
          const k = this.#keyByIdent(ctx.params.ident ?? "");
          if (!k) return err(404, "not_found", "The resource you were accessing could not be found.");
          this.keys.delete(k.id);
          return { status: 204 };
        },
        "delete_ssh_key",
      ),
    ];
  }

  #tagObj(name: string) {
    const count = [...this.droplets.values()].filter((d) => d.tags.includes(name)).length;
    return { name, resources: { count, droplets: { count } } };
  }

  #parseFirewall(body: unknown): { fw: Omit<Firewall, "id" | "created"> } | { error: ReturnType<typeof err> } {
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
    const unknownTag = tags.find((t) => !this.tags.has(t));
    if (unknownTag) return { error: err(400, "bad_request", `tag ${unknownTag} does not exist`) };
    const dropletIds = Array.isArray(b.droplet_ids) ? (b.droplet_ids as number[]) : [];
    return { fw: { name: b.name, inbound_rules: inbound, outbound_rules: outbound, droplet_ids: dropletIds, tags } };
  }
}

function err(status: number, id: string, message: string) {
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

function profile(): ProviderProfile {
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

/** Started simulator; `stop()` when done. */
export async function startDigitalOceanSimulator(o: DigitalOceanSimOptions = {}): Promise<DigitalOceanSimulator> {
  const sim = new DigitalOceanSimulator(o);
  await sim.start();
  return sim;
}
