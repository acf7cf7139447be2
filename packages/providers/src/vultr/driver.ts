// Vultr driver (API v2, https://api.vultr.com/v2).
//
// ## Token to create (shown on the Cloud accounts page; also exported as `vultrGuide`)
// Vultr API keys belong to a user: enable the API and copy the key at
// https://my.vultr.com/settings/#settingsapi. Least access: create a sub-user
// (Account → Users) with only the permissions `subscriptions_view`, `subscriptions`,
// `provisioning` and `firewall`, enable API access for that sub-user, and use its key. Restrict
// the key to Claw Cloud's egress addresses under "Access Control" when you can.
//
// ## What the driver does on your account
// - Tags every instance `clawcloud` and `clawcloud-instance:<instance id>`. Create lists our
//   instances first and returns the one it finds (Vultr has no idempotency key). The `tag` filter
//   on GET /instances is deprecated in Vultr's description, so the driver filters tags itself.
// - Makes one firewall group per instance (description `clawcloud-instance:<id>`) before the
//   instance and creates the instance inside it. A Vultr firewall group drops all inbound traffic
//   that no rule accepts, so with no rules (the default) nothing gets in; each inbound rule you ask
//   for becomes one accept rule per source block.
// - Attaches one SSH key: yours, or a throwaway ed25519 key whose private half was never kept.
//   Vultr still issues a `default_password` for root (returned by create and get, "available for
//   ten minutes"); the driver never reads that field, and cloud-init disables password login.
//   activation_email is false, so Vultr does not mail it either.
// - user_data is sent base64-encoded, as Vultr requires.
// - Delete removes the instance, then the firewall group, then the key we uploaded.

import {
  checkInstanceId,
  MANAGED_TAG,
  noSuchServer,
  notCreatedByUs,
  type PreparedCreate,
  prepareCreate,
  resourceName,
  toCents,
} from "../common.ts";
import { createDriverApiClient, type ProviderDialect, paginatedLister, parseRetryAfter } from "../http.ts";
import {
  type ComputeProviderV1,
  type CredentialCheck,
  type DriverOptions,
  INSTANCE_TAG_PREFIX,
  instanceTag,
  ProviderError,
  type Region,
  type Server,
  type Size,
} from "../spec.ts";
import * as s from "./schemas.ts";

export const VULTR_API = "https://api.vultr.com/v2";
export const VULTR_TOKEN_URL = "https://my.vultr.com/settings/#settingsapi";
/** Debian 12 x64 (bookworm) in Vultr's OS list (GET /v2/os). */
export const VULTR_DEFAULT_OS_ID = 2136;
/** The sub-user permissions (Vultr "ACLs") the driver needs. */
export const VULTR_ACLS = ["subscriptions_view", "subscriptions", "provisioning", "firewall"] as const;
const PER_PAGE = 500;

export const vultrGuide = {
  tokenUrl: VULTR_TOKEN_URL,
  permissions: [...VULTR_ACLS],
  notes:
    "Best: a Vultr sub-user with only these permissions and API access enabled, and its API key; restrict the key to Claw Cloud's addresses under Access Control. " +
    "Claw Cloud tags what it creates clawcloud-instance:<id>, puts each instance in a firewall group with no rule (nothing inbound gets in), " +
    "attaches an SSH key nobody holds (or yours), and never reads the default root password Vultr issues.",
};

const dialect: ProviderDialect = {
  provider: "vultr",
  displayName: "Vultr",
  parseError(body) {
    const p = s.errorBody.safeParse(body);
    return p.success ? { message: p.data.error } : {};
  },
  classify(status, _code, message) {
    if ((status === 400 || status === 403) && message && /limit|quota|exceed/i.test(message)) return "quota";
    return undefined;
  },
  advice: {
    unauthorized: `Check the API key at ${VULTR_TOKEN_URL} (it may have been regenerated, or the API disabled, or Claw Cloud's address not allowed under Access Control) and update this cloud account.`,
    forbidden: `Give the key's user the permissions listed on the Cloud accounts page (Account → Users), or use another key.`,
    quota: "Your Vultr account reached a limit (instances or monthly fee); ask Vultr to raise it or delete instances you no longer use.",
  },
  // Vultr allows 30 requests a second and documents no rate-limit headers; Retry-After when sent.
  retryAfter: (h, now) => parseRetryAfter(h.get("retry-after"), now) ?? 1,
};

const LABEL_PATTERN = /^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,61}[a-zA-Z0-9])?$/;

function statusOf(i: s.VInstance): Server["status"] {
  if (i.status === "pending") return "creating";
  if (i.status === "active") return i.power_status === "stopped" ? "off" : i.power_status === "running" ? "running" : "unknown";
  if (i.status === "suspended") return "off";
  return "unknown";
}

function toServer(i: s.VInstance): Server {
  const tags = i.tags ?? [];
  const ipv4 = i.main_ip && i.main_ip !== "0.0.0.0" ? i.main_ip : undefined;
  const ipv6 = i.v6_networks?.find((n) => n.main_ip && n.main_ip !== "::")?.main_ip;
  return {
    id: i.id,
    instanceId: tags.find((t) => t.startsWith(INSTANCE_TAG_PREFIX))?.slice(INSTANCE_TAG_PREFIX.length),
    name: i.label ?? "",
    status: statusOf(i),
    region: i.region,
    size: i.plan,
    ipv4,
    ipv6,
    firewallId: i.firewall_group_id || undefined,
    createdAt: i.date_created,
  };
}

/** Comparable form of a public key: type and base64, without the comment. */
const keyBody = (line: string) => line.trim().split(/\s+/).slice(0, 2).join(" ");

export function createVultrDriver(opts: DriverOptions<{ token: string }>): ComputeProviderV1 {
  const api = createDriverApiClient(dialect, VULTR_API, opts);

  /** Vultr pages: ?per_page=500&cursor=…, with meta.links.next ("" on the last page). */
  const list = paginatedLister<s.CursorMeta, string>(api, {
    pageQuery: (cursor) => (cursor ? { per_page: PER_PAGE, cursor } : { per_page: PER_PAGE }),
    next: (p) => p.meta?.links?.next || undefined,
  });
  const isId = (id: string) => /^[0-9a-fA-F-]{8,64}$/.test(id);
  const path = (id: string) => encodeURIComponent(id);

  const listInstances = () => list("/instances", "list instances", s.instancesPage, (p) => p.instances);
  const listFirewallGroups = () => list("/firewalls", "list firewall groups", s.firewallGroupsPage, (p) => p.firewall_groups);
  const listKeys = () => list("/ssh-keys", "list SSH keys", s.sshKeysPage, (p) => p.ssh_keys);

  async function getRaw(serverId: string): Promise<s.VInstance | undefined> {
    if (!isId(serverId)) return undefined;
    return (await api.getOptional(`/instances/${path(serverId)}`, "read the instance", s.instanceOne))?.instance;
  }

  async function findServersByTag(instanceId?: string): Promise<Server[]> {
    if (instanceId !== undefined) checkInstanceId("vultr", instanceId);
    const tag = instanceId === undefined ? MANAGED_TAG : instanceTag(instanceId);
    const all = await listInstances();
    return all
      .filter((i) => (i.tags ?? []).includes(tag))
      .map(toServer)
      .sort((a, b) => (a.createdAt ?? "").localeCompare(b.createdAt ?? "") || a.id.localeCompare(b.id));
  }

  async function ensureFirewallGroup(p: PreparedCreate): Promise<string> {
    let group = (await listFirewallGroups()).find((g) => g.description === p.tag);
    if (!group) {
      group = (
        await api.json(
          { method: "POST", path: "/firewalls", body: { description: p.tag }, action: "create the firewall group" },
          s.firewallGroupOne,
        )
      ).firewall_group;
    }
    const id = path(group.id);
    // A retried create may find the group with some rules already added: add only the missing ones.
    const have = p.inbound.length
      ? await list(`/firewalls/${id}/rules`, "list firewall rules", s.firewallRulesPage, (x) => x.firewall_rules)
      : [];
    for (const rule of p.inbound) {
      for (const cidr of rule.sources) {
        const [subnet = "", size = ""] = cidr.split("/");
        const ipType = subnet.includes(":") ? "v6" : "v4";
        const port = String(rule.port);
        if (
          have.some(
            (h) =>
              h.ip_type === ipType &&
              h.subnet === subnet &&
              h.subnet_size === Number(size) &&
              h.port === port &&
              h.protocol.toLowerCase() === "tcp",
          )
        )
          continue;
        await api.send({
          method: "POST",
          path: `/firewalls/${id}/rules`,
          body: { ip_type: ipType, protocol: "tcp", subnet, subnet_size: Number(size), port, notes: "added by Claw Cloud at your request" },
          action: "add a firewall rule",
        });
      }
    }
    return group.id;
  }

  async function ensureKey(p: PreparedCreate): Promise<string> {
    const keys = await listKeys();
    const name = resourceName(p.instanceId);
    const found = p.keyIsUsers ? keys.find((k) => keyBody(k.ssh_key) === keyBody(p.key.line)) : keys.find((k) => k.name === name);
    if (found) return found.id;
    const res = await api.json(
      { method: "POST", path: "/ssh-keys", body: { name, ssh_key: p.key.line }, action: "upload the SSH public key" },
      s.sshKeyOne,
    );
    return res.ssh_key.id;
  }

  const driver: ComputeProviderV1 = {
    id: "vultr",
    version: 1,

    async validateCredentials(): Promise<CredentialCheck> {
      // GET /account reports the key user's permissions as `acls` (sub-users have a subset).
      const { account } = await api.json({ method: "GET", path: "/account", action: "read the account" }, s.account);
      const acls = account.acls;
      const accountLabel = account.email ?? account.name;
      if (!acls) return { accountLabel, missingScopes: [] }; // not reported: cannot tell, the first call will
      // "manage_users" is the account owner's: everything is allowed.
      const missing = acls.includes("manage_users") ? [] : VULTR_ACLS.filter((a) => !acls.includes(a));
      return { accountLabel, scopes: acls, missingScopes: missing };
    },

    async listRegions(): Promise<Region[]> {
      const regions = await list("/regions", "list regions", s.regionsPage, (p) => p.regions);
      return regions.map((r) => ({ id: r.id, name: r.city, location: `${r.city}, ${r.country}`, available: true }));
    },

    async listSizes(): Promise<Size[]> {
      const plans = await list("/plans", "list plans", s.plansPage, (p) => p.plans);
      return plans.map((x) => ({
        id: x.id,
        vcpus: x.vcpu_count,
        memoryMb: x.ram,
        diskGb: x.disk,
        priceMonthlyCents: toCents(x.monthly_cost),
        currency: "USD" as const,
        regions: x.locations,
      }));
    },

    async createServer(input): Promise<Server> {
      const p = prepareCreate(input, {
        provider: "vultr",
        displayName: "Vultr",
        namePattern: LABEL_PATTERN,
        nameHint: "use letters, digits, '.' and '-', at most 63 characters.",
      });
      const image = input.image ?? String(VULTR_DEFAULT_OS_ID);
      if (!/^\d{1,9}$/.test(image)) {
        throw new ProviderError({
          provider: "vultr",
          kind: "invalid",
          message: `Vultr images are OS ids (numbers from GET /v2/os); "${image.slice(0, 40)}" is not one.`,
        });
      }
      const [existing] = await findServersByTag(p.instanceId);
      if (existing) return existing;

      const firewallGroupId = await ensureFirewallGroup(p);
      const keyId = await ensureKey(p);
      const res = await api.json(
        {
          method: "POST",
          path: "/instances",
          body: {
            region: p.region,
            plan: p.size,
            os_id: Number(image),
            label: p.name,
            hostname: p.name,
            sshkey_id: [keyId],
            user_data: Buffer.from(p.userData, "utf8").toString("base64"),
            firewall_group_id: firewallGroupId,
            tags: [MANAGED_TAG, p.tag, ...p.extraTags],
            enable_ipv6: true,
            backups: "disabled",
            activation_email: false,
          },
          action: "create the instance",
        },
        s.instanceOne,
      );
      return { ...toServer(res.instance), firewallId: firewallGroupId };
    },

    async getServer(serverId) {
      const i = await getRaw(serverId);
      return i ? toServer(i) : undefined;
    },

    findServersByTag,

    async deleteServer(serverId, o) {
      const i = await getRaw(serverId);
      let instanceId = o?.instanceId;
      if (i) {
        const own = toServer(i).instanceId;
        if (!own) throw notCreatedByUs("vultr", `Instance ${serverId}`, `${INSTANCE_TAG_PREFIX} tag`);
        instanceId = own;
        await api.send({ method: "DELETE", path: `/instances/${path(serverId)}`, action: "delete the instance" }, [404]);
      }
      if (instanceId === undefined) return;
      checkInstanceId("vultr", instanceId);
      const tag = instanceTag(instanceId);
      for (const g of (await listFirewallGroups()).filter((x) => x.description === tag)) {
        await api.send({ method: "DELETE", path: `/firewalls/${path(g.id)}`, action: "delete the firewall group" }, [404]);
      }
      const name = resourceName(instanceId);
      for (const k of (await listKeys()).filter((x) => x.name === name)) {
        await api.send({ method: "DELETE", path: `/ssh-keys/${path(k.id)}`, action: "delete the SSH key" }, [404]);
      }
    },

    async reboot(serverId) {
      if (!isId(serverId)) throw noSuchServer("vultr", "Vultr", "instance", serverId);
      await api.send({ method: "POST", path: `/instances/${path(serverId)}/reboot`, action: "reboot the instance" });
    },
  };
  return driver;
}
