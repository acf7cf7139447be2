// DigitalOcean driver (API v2, https://api.digitalocean.com).
//
// ## Token to create (shown on the Cloud accounts page; also exported as `digitalOceanGuide`)
// Create a personal access token at https://cloud.digitalocean.com/account/api/tokens
// → "Generate New Token". Either "Full Access", or — better — "Custom Scopes" with exactly:
//   account:read, actions:read, droplet:create, droplet:read, droplet:update, droplet:delete,
//   firewall:create, firewall:read, firewall:update, firewall:delete, image:read, regions:read,
//   sizes:read, ssh_key:create, ssh_key:read, ssh_key:delete, tag:create, tag:read
// (droplet:create needs actions:read, image:read, regions:read and sizes:read beside it; tag:read
// is what filtering droplets by tag needs; droplet:update is for reboot). Pick an expiry you are
// comfortable with; Claw Cloud tells you when the token stops working.
//
// ## What the driver does on your account
// - Tags every droplet `clawcloud` and `clawcloud-instance:<instance id>` (DigitalOcean tag names
//   allow ':'; the spec's pattern is ^[a-zA-Z0-9_\-\:]+$). Create looks the tag up first and returns
//   the droplet it finds, so a retried create never makes a second droplet (the API has no
//   idempotency key).
// - Makes one cloud firewall per instance, named clawcloud-<instance id>, bound to the instance tag
//   *before* the droplet exists, so the droplet is covered from its first boot. It has no inbound
//   rule unless you asked for one (deny all: the agent dials out) and allows all outbound.
// - Uploads one SSH public key per droplet: yours when you chose "full SSH access", otherwise a
//   throwaway ed25519 key whose private half was never kept (see ../ssh.ts). Without a key
//   DigitalOcean e-mails a root password; with this key nobody — Claw Cloud included — can log in.
//   The key id rides on the droplet as tag `clawcloud-key:<id>`, so delete removes it without
//   listing keys (DigitalOcean allows only 10 key listings a minute).
// - user_data is sent as plain text, at most 64 KiB.
// - Delete removes the droplet, then the firewall, then the key we uploaded.

import {
  checkInstanceId,
  MANAGED_TAG,
  mapLimit,
  noSuchServer,
  notCreatedByUs,
  type PreparedCreate,
  prepareCreate,
  resourceName,
  toCents,
} from "../common.ts";
import {
  createDriverApiClient,
  numberedPages,
  type ProviderDialect,
  paginatedLister,
  parseRetryAfter,
  secondsUntilEpoch,
} from "../http.ts";
import {
  type ComputeProviderV1,
  type CredentialCheck,
  type DriverOptions,
  INSTANCE_TAG_PREFIX,
  instanceTag,
  ProviderError,
  type Region,
  type Server,
  type ServerStatus,
  type Size,
} from "../spec.ts";
import { throwawayPublicKey } from "../ssh.ts";
import * as s from "./schemas.ts";

export const DIGITALOCEAN_API = "https://api.digitalocean.com";
export const DIGITALOCEAN_TOKEN_URL = "https://cloud.digitalocean.com/account/api/tokens";
/** Debian 12, as the DESIGN asks; the caller can pass another slug or image id. */
export const DIGITALOCEAN_DEFAULT_IMAGE = "debian-12-x64";
/** DigitalOcean takes user_data as plain text up to 64 KiB. */
export const DIGITALOCEAN_USER_DATA_LIMIT = 64 * 1024;
const PER_PAGE = 200;
const KEY_TAG_PREFIX = "clawcloud-key:";

/** Every custom scope the driver's calls need (checked against the spec's per-operation scopes). */
export const DIGITALOCEAN_SCOPES = [
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
] as const;

export const digitalOceanGuide = {
  tokenUrl: DIGITALOCEAN_TOKEN_URL,
  permissions: [...DIGITALOCEAN_SCOPES],
  notes:
    'Generate a personal access token with "Custom Scopes" and tick exactly the scopes listed (or "Full Access"). ' +
    "Claw Cloud tags what it creates clawcloud-instance:<id>, puts each droplet behind a firewall with no inbound rule, " +
    "and attaches an SSH key nobody holds (or yours, if you choose full SSH access) so no root password is ever e-mailed.",
};

const dialect: ProviderDialect = {
  provider: "digitalocean",
  displayName: "DigitalOcean",
  parseError(body) {
    const p = s.errorBody.safeParse(body);
    return p.success ? { code: p.data.id, message: p.data.message } : {};
  },
  classify(status, _code, message) {
    // "creating this/these droplet(s) will exceed your droplet limit" (422)
    if ((status === 422 || status === 403) && message && /droplet limit|exceed.*limit|quota/i.test(message)) return "quota";
    return undefined;
  },
  advice: {
    unauthorized: `Create a new token at ${DIGITALOCEAN_TOKEN_URL} (Custom Scopes as listed on the Cloud accounts page, or Full Access) and update this cloud account.`,
    forbidden: `Edit the token's scopes at ${DIGITALOCEAN_TOKEN_URL}, or create a new one with the scopes listed on the Cloud accounts page.`,
    quota: "Ask DigitalOcean to raise the droplet limit (Settings → Team in the control panel) or delete droplets you no longer use.",
  },
  // A 429 from the per-minute burst limit carries Retry-After; the hourly limit is told by
  // ratelimit-reset, the Unix time when the oldest request in the window expires.
  retryAfter: (h, now) => parseRetryAfter(h.get("retry-after"), now) ?? secondsUntilEpoch(h.get("ratelimit-reset"), now),
};

const NAME_PATTERN = /^[a-zA-Z0-9]?[a-z0-9A-Z.-]*[a-z0-9A-Z]$/;
const TAG_PATTERN = /^[a-zA-Z0-9_\-:]{1,255}$/;

const STATUS: Record<string, ServerStatus> = { new: "creating", active: "running", off: "off", archive: "gone" };

const ALL_OUTBOUND = ["tcp", "udp", "icmp"].map((protocol) => ({
  protocol,
  ports: "0",
  destinations: { addresses: ["0.0.0.0/0", "::/0"] },
}));

function toServer(d: s.Droplet): Server {
  const tags = d.tags ?? [];
  const instanceId = tags.find((t) => t.startsWith(INSTANCE_TAG_PREFIX))?.slice(INSTANCE_TAG_PREFIX.length);
  return {
    id: String(d.id),
    instanceId,
    name: d.name,
    status: STATUS[d.status] ?? "unknown",
    region: d.region.slug,
    size: d.size_slug,
    ipv4: d.networks?.v4?.find((n) => n.type === "public")?.ip_address,
    ipv6: d.networks?.v6?.find((n) => n.type === "public")?.ip_address,
    createdAt: d.created_at,
  };
}

const keyIdsOf = (d: s.Droplet) => (d.tags ?? []).filter((t) => t.startsWith(KEY_TAG_PREFIX)).map((t) => t.slice(KEY_TAG_PREFIX.length));

export function createDigitalOceanDriver(opts: DriverOptions<{ token: string }>): ComputeProviderV1 {
  const api = createDriverApiClient(dialect, DIGITALOCEAN_API, opts);

  /** DigitalOcean pages: ?page=N&per_page=200, with links.pages.next on every page but the last. */
  const list = paginatedLister<s.PageLinks, number>(api, {
    pageQuery: numberedPages(PER_PAGE),
    next: (p, page) => (p.links?.pages?.next ? (page ?? 1) + 1 : undefined),
  });

  const listDroplets = (tag: string) => list("/v2/droplets", "list droplets", s.dropletsPage, (p) => p.droplets, { tag_name: tag });
  const listFirewalls = () => list("/v2/firewalls", "list firewalls", s.firewallsPage, (p) => p.firewalls);

  async function getDroplet(serverId: string): Promise<s.Droplet | undefined> {
    if (!/^[1-9]\d{0,17}$/.test(serverId)) return undefined;
    return (await api.getOptional(`/v2/droplets/${serverId}`, "read the droplet", s.dropletOne))?.droplet;
  }

  async function findServersByTag(instanceId?: string): Promise<Server[]> {
    if (instanceId !== undefined) checkInstanceId("digitalocean", instanceId);
    const droplets = await listDroplets(instanceId === undefined ? MANAGED_TAG : instanceTag(instanceId));
    return droplets
      .map(toServer)
      .filter((x) => x.status !== "gone")
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  async function ensureTag(name: string): Promise<void> {
    // The firewall binds to the tag, and DigitalOcean wants a firewall's tags to exist already.
    await api.send({ method: "POST", path: "/v2/tags", body: { name }, action: `create the tag ${name}` });
  }

  async function ensureFirewall(p: PreparedCreate): Promise<string> {
    const existing = (await listFirewalls()).find((f) => (f.tags ?? []).includes(p.tag));
    if (existing) return existing.id;
    const res = await api.json(
      {
        method: "POST",
        path: "/v2/firewalls",
        body: {
          name: resourceName(p.instanceId),
          // No inbound rule means DigitalOcean drops all inbound traffic; only what the user opened.
          inbound_rules: p.inbound.map((r) => ({ protocol: "tcp", ports: String(r.port), sources: { addresses: r.sources } })),
          outbound_rules: ALL_OUTBOUND,
          tags: [p.tag],
        },
        action: "create the firewall",
      },
      s.firewallOne,
    );
    return res.firewall.id;
  }

  /** The key the droplet gets: { id, owned } — owned keys were uploaded by us and go with the droplet. */
  async function ensureKey(p: PreparedCreate): Promise<{ id: number; owned: boolean }> {
    if (p.keyIsUsers) {
      const found = await api.send({ method: "GET", path: `/v2/account/keys/${p.key.md5}`, action: "look up your SSH key" }, [404]);
      if (found.status !== 404) return { id: api.parse(s.sshKeyOne, found, "look up your SSH key").ssh_key.id, owned: false };
    }
    const res = await api.json(
      {
        method: "POST",
        path: "/v2/account/keys",
        body: { name: resourceName(p.instanceId), public_key: p.key.line },
        action: "upload the SSH public key",
      },
      s.sshKeyOne,
    );
    return { id: res.ssh_key.id, owned: true };
  }

  async function deleteKey(id: string | number): Promise<void> {
    await api.send({ method: "DELETE", path: `/v2/account/keys/${id}`, action: "delete the SSH key" }, [404]);
  }

  const driver: ComputeProviderV1 = {
    id: "digitalocean",
    version: 1,

    async validateCredentials(): Promise<CredentialCheck> {
      // DigitalOcean's API does not report a token's scopes (the spec has no such call or header;
      // it only documents the scope each endpoint needs). So each scope is probed with a request
      // that needs it and changes nothing: reads list one item; writes target a resource that
      // cannot exist or carry a value the API rejects. 403 = scope missing; anything else = present.
      // This relies on DigitalOcean checking scopes before looking at the request (403 before
      // 404/422), as its per-endpoint scopes describe. droplet:update (reboot only) cannot be
      // probed without touching a droplet and is not checked.
      const accountRes = await api.send({ method: "GET", path: "/v2/account", action: "read the account" }, [403]);
      const present = new Set<string>();
      const missing = new Set<string>();
      let accountLabel: string | undefined;
      if (accountRes.status === 403) missing.add("account:read");
      else {
        present.add("account:read");
        const a = s.account.safeParse(accountRes.body);
        if (a.success)
          accountLabel = a.data.account.team?.name ? `${a.data.account.team.name} (${a.data.account.email ?? ""})` : a.data.account.email;
      }
      const nonce = throwawayPublicKey("probe").md5.replaceAll(":", "").slice(0, 16);
      const noSuchUuid = `00000000-0000-4000-8000-${nonce.slice(0, 12)}`;
      const probes: {
        scopes: string[];
        method: "GET" | "POST" | "PUT" | "DELETE";
        path: string;
        query?: Record<string, string | number>;
        body?: unknown;
        undo?: (body: unknown) => Promise<void>;
      }[] = [
        { scopes: ["droplet:read"], method: "GET", path: "/v2/droplets", query: { per_page: 1 } },
        { scopes: ["regions:read"], method: "GET", path: "/v2/regions", query: { per_page: 1 } },
        { scopes: ["sizes:read", "regions:read"], method: "GET", path: "/v2/sizes", query: { per_page: 1 } },
        { scopes: ["actions:read"], method: "GET", path: "/v2/actions", query: { per_page: 1 } },
        { scopes: ["image:read"], method: "GET", path: "/v2/images", query: { per_page: 1, type: "distribution" } },
        { scopes: ["ssh_key:read"], method: "GET", path: "/v2/account/keys", query: { per_page: 1 } },
        { scopes: ["firewall:read"], method: "GET", path: "/v2/firewalls", query: { per_page: 1 } },
        { scopes: ["tag:read"], method: "GET", path: "/v2/tags", query: { per_page: 1 } },
        // Writes that cannot take effect:
        {
          scopes: ["droplet:create"],
          method: "POST",
          path: "/v2/droplets",
          body: { name: "clawcloud-permission-check", size: "clawcloud-permission-check", image: DIGITALOCEAN_DEFAULT_IMAGE },
          undo: async (b) => {
            const d = s.dropletOne.safeParse(b);
            if (d.success)
              await api.send({ method: "DELETE", path: `/v2/droplets/${d.data.droplet.id}`, action: "delete the check droplet" }, [404]);
          },
        },
        { scopes: ["droplet:delete"], method: "DELETE", path: "/v2/droplets", query: { tag_name: `clawcloud-permission-check-${nonce}` } },
        {
          scopes: ["ssh_key:create"],
          method: "POST",
          path: "/v2/account/keys",
          body: { name: "clawcloud-permission-check", public_key: "clawcloud-permission-check" },
          undo: async (b) => {
            const k = s.sshKeyOne.safeParse(b);
            if (k.success) await deleteKey(k.data.ssh_key.id);
          },
        },
        { scopes: ["ssh_key:delete"], method: "DELETE", path: `/v2/account/keys/${throwawayPublicKey("probe").md5}` },
        {
          scopes: ["firewall:create"],
          method: "POST",
          path: "/v2/firewalls",
          body: {
            name: "clawcloud-permission-check",
            inbound_rules: [{ protocol: "tcp", ports: "22", sources: { addresses: ["clawcloud-permission-check"] } }],
          },
          undo: async (b) => {
            const f = s.firewallOne.safeParse(b);
            if (f.success)
              await api.send({ method: "DELETE", path: `/v2/firewalls/${f.data.firewall.id}`, action: "delete the check firewall" }, [404]);
          },
        },
        {
          scopes: ["firewall:update"],
          method: "PUT",
          path: `/v2/firewalls/${noSuchUuid}`,
          body: { name: "clawcloud-permission-check", outbound_rules: ALL_OUTBOUND },
        },
        { scopes: ["firewall:delete"], method: "DELETE", path: `/v2/firewalls/${noSuchUuid}` },
        // Creating the shared `clawcloud` tag is harmless: every droplet of ours carries it.
        { scopes: ["tag:create"], method: "POST", path: "/v2/tags", body: { name: MANAGED_TAG } },
      ];
      const results = await mapLimit(probes, 4, async (p) => {
        const res = await api.send(
          { method: p.method, path: p.path, query: p.query, body: p.body, action: "check the token's scopes" },
          [400, 403, 404, 422],
        );
        if (res.status >= 200 && res.status < 300 && p.undo) await p.undo(res.body);
        return res.status;
      });
      probes.forEach((p, i) => {
        if (results[i] !== 403) for (const sc of p.scopes) present.add(sc);
      });
      probes.forEach((p, i) => {
        if (results[i] !== 403) return;
        const unknown = p.scopes.filter((sc) => !present.has(sc));
        // A probe needing two scopes where one is already known missing tells nothing about the other.
        if (unknown.length === 1 || !p.scopes.some((sc) => missing.has(sc))) for (const sc of unknown) missing.add(sc);
      });
      const order = DIGITALOCEAN_SCOPES as readonly string[];
      const sorted = (set: Set<string>) => [...set].sort((a, b) => order.indexOf(a) - order.indexOf(b));
      return { accountLabel, scopes: sorted(present), missingScopes: sorted(missing) };
    },

    async listRegions(): Promise<Region[]> {
      const regions = await list("/v2/regions", "list regions", s.regionsPage, (p) => p.regions);
      return regions.map((r) => ({ id: r.slug, name: r.name, available: r.available }));
    },

    async listSizes(): Promise<Size[]> {
      const sizes = await list("/v2/sizes", "list sizes", s.sizesPage, (p) => p.sizes);
      return sizes
        .filter((x) => x.available)
        .map((x) => ({
          id: x.slug,
          vcpus: x.vcpus,
          memoryMb: x.memory,
          diskGb: x.disk,
          priceMonthlyCents: toCents(x.price_monthly),
          currency: "USD" as const,
          regions: x.regions,
        }));
    },

    async createServer(input): Promise<Server> {
      const p = prepareCreate(input, {
        provider: "digitalocean",
        displayName: "DigitalOcean",
        userDataLimitBytes: DIGITALOCEAN_USER_DATA_LIMIT,
        namePattern: NAME_PATTERN,
        nameHint: "use letters, digits, '.' and '-', at most 255 characters.",
      });
      if (p.name.length > 255)
        throw new ProviderError({ provider: "digitalocean", kind: "invalid", message: "Droplet names are at most 255 characters." });
      for (const t of p.extraTags) {
        if (!TAG_PATTERN.test(t))
          throw new ProviderError({
            provider: "digitalocean",
            kind: "invalid",
            message: `Tag "${t.slice(0, 60)}" is not accepted by DigitalOcean: use letters, digits, '_', '-' and ':'.`,
          });
      }
      const [existing] = await findServersByTag(p.instanceId);
      if (existing) return existing;

      await ensureTag(MANAGED_TAG);
      await ensureTag(p.tag);
      const firewallId = await ensureFirewall(p);
      const key = await ensureKey(p);
      try {
        const res = await api.json(
          {
            method: "POST",
            path: "/v2/droplets",
            body: {
              name: p.name,
              region: p.region,
              size: p.size,
              image: input.image ?? DIGITALOCEAN_DEFAULT_IMAGE,
              ssh_keys: [key.id],
              user_data: p.userData,
              tags: [MANAGED_TAG, p.tag, ...(key.owned ? [`${KEY_TAG_PREFIX}${key.id}`] : []), ...p.extraTags],
              ipv6: true,
              monitoring: false,
            },
            action: "create the droplet",
          },
          s.dropletOne,
        );
        return { ...toServer(res.droplet), firewallId };
      } catch (e) {
        // A 4xx means the droplet was not made: take the key back. After a timeout or 5xx the
        // droplet may exist and reference it, so it stays (delete finds it through the tag).
        if (key.owned && e instanceof ProviderError && e.status !== undefined && e.status < 500)
          await deleteKey(key.id).catch(() => undefined);
        throw e;
      }
    },

    async getServer(serverId) {
      const d = await getDroplet(serverId);
      if (!d) return undefined;
      const server = toServer(d);
      return server.status === "gone" ? undefined : server;
    },

    findServersByTag,

    async deleteServer(serverId, o) {
      const d = await getDroplet(serverId);
      let instanceId = o?.instanceId;
      let keyIds: string[] = [];
      if (d) {
        const own = toServer(d).instanceId;
        if (!own) throw notCreatedByUs("digitalocean", `Droplet ${serverId}`, `${INSTANCE_TAG_PREFIX} tag`);
        instanceId = own;
        keyIds = keyIdsOf(d);
        await api.send({ method: "DELETE", path: `/v2/droplets/${serverId}`, action: "delete the droplet" }, [404]);
      }
      if (instanceId === undefined) return;
      checkInstanceId("digitalocean", instanceId);
      const tag = instanceTag(instanceId);
      for (const f of (await listFirewalls()).filter((x) => (x.tags ?? []).includes(tag))) {
        await api.send({ method: "DELETE", path: `/v2/firewalls/${f.id}`, action: "delete the firewall" }, [404]);
      }
      for (const id of keyIds) await deleteKey(id);
      if (!d) {
        // The droplet went earlier and its key tag with it: find our key by name (a rare path, so
        // the 10-a-minute limit on listing keys is not a concern here).
        const name = resourceName(instanceId);
        const keys = await list("/v2/account/keys", "list SSH keys", s.sshKeysPage, (p) => p.ssh_keys);
        for (const k of keys.filter((x) => x.name === name)) await deleteKey(k.id);
      }
    },

    async reboot(serverId) {
      if (!/^[1-9]\d{0,17}$/.test(serverId)) throw noSuchServer("digitalocean", "DigitalOcean", "droplet", serverId);
      await api.send({ method: "POST", path: `/v2/droplets/${serverId}/actions`, body: { type: "reboot" }, action: "reboot the droplet" });
    },
  };
  return driver;
}
