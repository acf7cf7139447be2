// A stateful DigitalOcean API v2 simulator: droplets (new → active), tags, cloud firewalls, SSH
// keys, regions and sizes with prices, custom-scoped tokens, and DigitalOcean's rate limits
// (250 requests a minute and 5,000 an hour per token, 10 SSH-key listings a minute) with its
// headers. Responses follow digitalocean.openapi.yaml: the contract tests validate every one.
// The wire format (catalog, objects, errors, rate limits) is in digitalocean-wire.ts.

import { hasGrant, iso, looksLikePublicKey, type Route, SimServer } from "./core.ts";
import {
  type Droplet,
  dropletObj,
  err,
  type Firewall,
  firewallObj,
  imageObj,
  type Key,
  keyObj,
  paged,
  parseFirewall,
  profile,
  REAL_SIZES,
  REGIONS,
  regionObj,
  type Size,
  sizeObj,
} from "./digitalocean-wire.ts";
import {
  bootPolicy,
  md5Fingerprint,
  type ProviderSimOptions,
  route,
  SimulatorBase,
  standardTokens,
  started,
  withExtras,
} from "./shared.ts";
import type { ConformanceSim, SimFirewallView } from "./types.ts";

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

export type DigitalOceanSimOptions = ProviderSimOptions;

export class DigitalOceanSimulator extends SimulatorBase implements ConformanceSim {
  readonly droplets = new Map<number, Droplet>();
  readonly firewalls = new Map<string, Firewall>();
  readonly keys = new Map<number, Key>();
  readonly tags = new Set<string>();
  readonly server: SimServer;
  readonly sizes: Size[];
  readonly #due: ReturnType<typeof bootPolicy>;
  #nextId = 3164444;
  #nextAction = 7515;

  constructor(o: DigitalOceanSimOptions = {}) {
    super();
    this.#due = bootPolicy(o);
    this.sizes = withExtras(REAL_SIZES, o.extraSizes, (i) => ({
      slug: `sim-${i + 1}vcpu-${(i + 1) * 2}gb`,
      vcpus: 1 + (i % 32),
      memory: 1024 * (2 + (i % 62)),
      disk: 25 + i,
      price_monthly: 6 + i * 0.5,
    }));
    const limited = new Set(DO_ALL_SCOPES.filter((x) => !DO_LIMITED_LACKS.includes(x)));
    const tokens = standardTokens(DO_TOKENS, "all", { label: "limited", grants: limited });
    this.server = new SimServer(profile(), this.#routes(), tokens, o);
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

  #progress(d: Droplet, now: number) {
    if (this.#due(d, now) && d.status === "new") {
      d.status = "active";
      d.ipv4 = `203.0.113.${d.id % 250}`;
      d.ipv6 = `2001:db8::${(d.id % 65535).toString(16)}`;
    }
  }
  #dropletObj(d: Droplet) {
    return dropletObj(d, this.sizes);
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
    const r = route;
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
          paged(
            ctx,
            "regions",
            REGIONS.map(([slug]) => regionObj(slug, this.sizes)),
          ),
        "list_regions",
      ),
      r(
        "GET",
        "/v2/sizes",
        ["sizes:read", "regions:read"],
        (ctx) =>
          paged(
            ctx,
            "sizes",
            this.sizes.map((s) => sizeObj(s)),
          ),
        "list_sizes",
      ),
      r("GET", "/v2/actions", ["actions:read"], (ctx) => paged(ctx, "actions", [])),
      r("GET", "/v2/images", ["image:read"], (ctx) => paged(ctx, "images", [imageObj()])),
      r("GET", "/v2/tags", ["tag:read"], (ctx) =>
        paged(
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
          return paged(
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
          paged(
            ctx,
            "firewalls",
            [...this.firewalls.values()].map((f) => firewallObj(f)),
          ),
        "list_firewalls",
      ),
      r(
        "POST",
        "/v2/firewalls",
        ["firewall:create"],
        (ctx) => {
          const parsed = parseFirewall(ctx.body, this.tags);
          if ("error" in parsed) return parsed.error;
          const f: Firewall = { ...parsed.fw, id: crypto.randomUUID(), created: ctx.now };
          this.firewalls.set(f.id, f);
          return { status: 202, body: { firewall: firewallObj(f) } };
        },
        "create_firewall",
      ),
      r("PUT", "/v2/firewalls/:id", ["firewall:update"], (ctx) => {
        const existing = this.firewalls.get(ctx.params.id ?? "");
        if (!existing) return err(404, "not_found", "The resource you were accessing could not be found.");
        const parsed = parseFirewall(ctx.body, this.tags);
        if ("error" in parsed) return parsed.error;
        Object.assign(existing, parsed.fw);
        return { status: 200, body: { firewall: firewallObj(existing) } };
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
          paged(
            ctx,
            "ssh_keys",
            [...this.keys.values()].map((k) => keyObj(k)),
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
          return { status: 201, body: { ssh_key: keyObj(k) } };
        },
        "create_ssh_key",
      ),
      r("GET", "/v2/account/keys/:ident", ["ssh_key:read"], (ctx) => {
        const k = this.#keyByIdent(ctx.params.ident ?? "");
        return k
          ? { status: 200, body: { ssh_key: keyObj(k) } }
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
}

/** Started simulator; `stop()` when done. */
export async function startDigitalOceanSimulator(o: DigitalOceanSimOptions = {}): Promise<DigitalOceanSimulator> {
  return started(new DigitalOceanSimulator(o));
}
