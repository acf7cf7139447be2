// A stateful Vultr API v2 simulator: instances (pending → active/running), firewall groups and
// rules, SSH keys, tags, regions and plans with prices, cursor pagination, API keys whose user has
// a subset of permissions (ACLs), the default_password Vultr hands out, and Vultr's rate limit
// (30 requests a second per client address; no rate-limit headers are documented). Responses follow
// vultr.openapi.json: the contract tests validate every one. The wire format (catalog, objects,
// errors, rate limit) is in vultr-wire.ts.

import { randomUUID } from "node:crypto";
import { fakePassword, looksLikePublicKey, type Route, SimServer } from "./core.ts";
import { bootPolicy, type ProviderSimOptions, route, SimulatorBase, standardTokens, started, withExtras } from "./shared.ts";
import type { ConformanceSim, SimFirewallView } from "./types.ts";
import {
  err,
  groupObj,
  instanceObj,
  keyObj,
  OWNER_ACLS,
  paged,
  profile,
  REAL_PLANS,
  REGIONS,
  ruleObj,
  type VGroup,
  type VInstance,
  type VKey,
  type VPlan,
} from "./vultr-wire.ts";

export const VULTR_TOKENS = {
  valid: "SIMVALIDVULTRKEY0000000000000000000000",
  revoked: "SIMREVOKEDVULTRKEY00000000000000000000",
  limited: "SIMLIMITEDVULTRKEY00000000000000000000",
} as const;

/** ACLs of the "limited" key's user (a sub-user without firewall rights). */
export const VULTR_LIMITED_ACLS = ["subscriptions_view", "subscriptions", "provisioning", "dns"];

export type VultrSimOptions = ProviderSimOptions;

export class VultrSimulator extends SimulatorBase implements ConformanceSim {
  readonly instances = new Map<string, VInstance>();
  readonly groups = new Map<string, VGroup>();
  readonly keys = new Map<string, VKey>();
  readonly plans: VPlan[];
  readonly server: SimServer;
  readonly #due: ReturnType<typeof bootPolicy>;
  #nextRule = 1;

  constructor(o: VultrSimOptions = {}) {
    super();
    this.#due = bootPolicy(o);
    this.plans = withExtras(REAL_PLANS, o.extraSizes, (i) => ({
      id: `vc2-sim-${i + 1}`,
      vcpu_count: 1 + (i % 24),
      ram: 1024 * (1 + (i % 96)),
      disk: 25 + i,
      monthly_cost: 5 + (i % 200),
    }));
    const tokens = standardTokens(VULTR_TOKENS, new Set(OWNER_ACLS), { label: "limited", grants: new Set(VULTR_LIMITED_ACLS) });
    this.server = new SimServer(profile(), this.#routes(), tokens, o);
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
    if (this.#due(i, now) && i.status === "pending") i.status = "active";
  }
  #instanceObj(i: VInstance) {
    return instanceObj(i, this.plans);
  }
  #groupObj(g: VGroup) {
    return groupObj(g, this.instances.values());
  }

  #routes(): Route[] {
    const r = route;
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
      r("GET", "/regions", [], (ctx) => paged(ctx, "regions", REGIONS), "list_regions"),
      r(
        "GET",
        "/plans",
        [],
        (ctx) =>
          paged(
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
          return paged(
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
          paged(
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
          ? paged(
              ctx,
              "firewall_rules",
              g.rules.map((x) => ruleObj(x)),
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
        return { status: 201, body: { firewall_rule: ruleObj(rule) } };
      }),
      r(
        "GET",
        "/ssh-keys",
        [],
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
        "/ssh-keys",
        [],
        (ctx) => {
          const b = (ctx.body ?? {}) as Record<string, unknown>;
          if (typeof b.name !== "string" || !looksLikePublicKey(b.ssh_key)) return err(400, "Invalid SSH key.");
          const k: VKey = { id: randomUUID(), name: b.name, ssh_key: b.ssh_key, created: ctx.now };
          this.keys.set(k.id, k);
          return { status: 201, body: { ssh_key: keyObj(k) } };
        },
        "create_ssh_key",
      ),
      r("DELETE", "/ssh-keys/:id", [], (ctx) => (this.keys.delete(ctx.params.id ?? "") ? { status: 204 } : notFound()), "delete_ssh_key"),
    ];
  }
}

export async function startVultrSimulator(o: VultrSimOptions = {}): Promise<VultrSimulator> {
  return started(new VultrSimulator(o));
}
