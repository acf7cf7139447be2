// Hetzner Cloud driver (https://api.hetzner.cloud/v1).
//
// ## Token to create (shown on the Cloud accounts page; also exported as `hetznerGuide`)
// In the Hetzner Cloud Console (https://console.hetzner.cloud/projects) open — better, create — a
// project just for Claw Cloud, then Security → API tokens → "Generate API token" with permission
// **Read & Write**. Hetzner tokens have no finer scopes and reach everything in their project, which
// is why a dedicated project is the least access you can give.
//
// ## What the driver does in your project
// - Labels every server `clawcloud-instance=<instance id>`. Label keys cannot hold ':' (Hetzner
//   label keys are [prefix/]name of [A-Za-z0-9._-]), so the spec's `clawcloud-instance:<id>` tag
//   becomes that key/value pair, and findServersByTag uses the label selector
//   `clawcloud-instance==<id>` (or just `clawcloud-instance` for all of ours). Create looks the label
//   up first; Hetzner server names are unique per project, so a retried create that slipped past the
//   lookup gets 409 uniqueness_error, and the driver then returns the server of that name if it is
//   this instance's.
// - Makes one firewall per instance (labelled the same) and applies it in the create request, so
//   the server never runs without it. Its only rules are the inbound ones you asked for (none by
//   default: deny all inbound); Hetzner allows all outbound while a firewall has no outbound rule.
// - Attaches one SSH key (labelled the same): yours, or a throwaway ed25519 key whose private half
//   was never kept. With no key Hetzner would generate a root password and return it in the create
//   response as `root_password`; we always send a key, and the driver never reads that field anyway.
// - user_data is sent as plain text, at most 32 KiB.
// - Delete removes the server, waits for Hetzner's delete action (a firewall still applied to a
//   server cannot be deleted), then deletes the firewall and the key we uploaded.

import {
  checkInstanceId,
  noSuchServer,
  notCreatedByUs,
  type PreparedCreate,
  prepareCreate,
  resourceName,
  splitTag,
  toCents,
} from "../common.ts";
import {
  createDriverApiClient,
  numberedPages,
  type ProviderDialect,
  paginatedLister,
  parseRetryAfter,
  secondsUntilEpoch,
  sleep,
} from "../http.ts";
import {
  type ComputeProviderV1,
  type CredentialCheck,
  type DriverOptions,
  ProviderError,
  type Region,
  type Server,
  type ServerStatus,
  type Size,
} from "../spec.ts";
import * as s from "./schemas.ts";

export const HETZNER_API = "https://api.hetzner.cloud/v1";
export const HETZNER_TOKEN_URL = "https://console.hetzner.cloud/projects";
export const HETZNER_DEFAULT_IMAGE = "debian-12";
/** Hetzner takes user_data as plain text up to 32 KiB. */
export const HETZNER_USER_DATA_LIMIT = 32 * 1024;
/** The label that carries our instance id (the spec's `clawcloud-instance:<id>` tag). */
export const HETZNER_INSTANCE_LABEL = "clawcloud-instance";
const PER_PAGE = 50;
const READ_WRITE = "Read & Write";

export const hetznerGuide = {
  tokenUrl: HETZNER_TOKEN_URL,
  permissions: [READ_WRITE],
  notes:
    "Create a Hetzner Cloud project just for Claw Cloud, then Security → API tokens → Generate API token with Read & Write. " +
    "Hetzner tokens cannot be narrowed further and reach everything in their project, so keep other servers out of it. " +
    "Claw Cloud labels what it creates clawcloud-instance=<id>, applies a firewall with no inbound rule, and attaches an SSH key nobody holds (or yours).",
};

const dialect: ProviderDialect = {
  provider: "hetzner",
  displayName: "Hetzner Cloud",
  parseError(body) {
    const p = s.errorBody.safeParse(body);
    return p.success ? { code: p.data.error.code, message: p.data.error.message } : {};
  },
  classify(_status, code) {
    switch (code) {
      case "token_readonly":
      case "forbidden":
        return "forbidden";
      case "resource_limit_exceeded":
        return "quota";
      case "uniqueness_error":
      case "conflict":
      case "locked":
        return "conflict";
      case "rate_limit_exceeded":
        return "rate_limited";
      case "invalid_input":
      case "json_error":
      case "resource_unavailable":
      case "unsupported_error":
        return "invalid";
      case "maintenance":
      case "service_error":
      case "server_error":
      case "timeout":
      case "placement_error":
        return "unavailable";
      default:
        return undefined;
    }
  },
  advice: {
    unauthorized: `Create a new API token (Security → API tokens, Read & Write) in your project at ${HETZNER_TOKEN_URL} and update this cloud account.`,
    forbidden: `The token is probably Read only: create a Read & Write token (Security → API tokens) at ${HETZNER_TOKEN_URL}.`,
    quota:
      "Your Hetzner project reached a limit (servers, cores or firewalls); ask Hetzner to raise it or delete resources you no longer use.",
  },
  // Hetzner's bucket refills one request per second: with none left, one more is possible in 1 s.
  // RateLimit-Reset is when the bucket is full again, far later than the next allowed request.
  retryAfter(h, now) {
    const explicit = parseRetryAfter(h.get("retry-after"), now);
    if (explicit !== undefined) return explicit;
    if (h.get("ratelimit-remaining")?.trim() === "0") return 1;
    return secondsUntilEpoch(h.get("ratelimit-reset"), now);
  },
};

/** RFC 1123 host names, as Hetzner requires for server names. */
const NAME_PATTERN = /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const LABEL_KEY = /^(([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)\/)?[a-z0-9A-Z]([a-z0-9A-Z._-]{0,61}[a-z0-9A-Z])?$/;
const LABEL_VALUE = /^(()|[a-z0-9A-Z]|([a-z0-9A-Z][a-z0-9A-Z._-]{0,61}[a-z0-9A-Z]))$/;

const STATUS: Record<string, ServerStatus> = {
  initializing: "creating",
  starting: "creating",
  rebuilding: "creating",
  running: "running",
  stopping: "off",
  off: "off",
  deleting: "deleting",
};

function toServer(x: s.HServer): Server {
  return {
    id: String(x.id),
    instanceId: x.labels[HETZNER_INSTANCE_LABEL],
    name: x.name,
    status: STATUS[x.status] ?? "unknown",
    region: x.location.name,
    size: x.server_type.name,
    ipv4: x.public_net.ipv4?.ip,
    ipv6: x.public_net.ipv6?.ip,
    firewallId: x.public_net.firewalls?.[0] ? String(x.public_net.firewalls[0].id) : undefined,
    createdAt: x.created,
  };
}

const selector = (instanceId?: string) => (instanceId === undefined ? HETZNER_INSTANCE_LABEL : `${HETZNER_INSTANCE_LABEL}==${instanceId}`);

export function createHetznerDriver(opts: DriverOptions<{ token: string }>): ComputeProviderV1 {
  const api = createDriverApiClient(dialect, HETZNER_API, opts);
  const pollIntervalMs = opts.pollIntervalMs ?? 1000;

  /** Hetzner pages: ?page=N&per_page=50, with meta.pagination.next_page (null on the last). */
  const list = paginatedLister<s.Paginated, number>(api, {
    pageQuery: numberedPages(PER_PAGE),
    next: (p) => p.meta?.pagination.next_page ?? undefined,
  });
  const isId = (id: string) => /^[1-9]\d{0,15}$/.test(id);

  async function getRaw(serverId: string): Promise<s.HServer | undefined> {
    if (!isId(serverId)) return undefined;
    return (await api.getOptional(`/servers/${serverId}`, "read the server", s.serverOne))?.server;
  }

  async function findServersByTag(instanceId?: string): Promise<Server[]> {
    if (instanceId !== undefined) checkInstanceId("hetzner", instanceId);
    const servers = await list("/servers", "list servers", s.serversPage, (p) => p.servers, { label_selector: selector(instanceId) });
    return servers.map(toServer).sort((a, b) => Number(a.id) - Number(b.id));
  }

  function labelsFor(p: PreparedCreate): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const t of p.extraTags) {
      const [k, v] = splitTag(t);
      if (!LABEL_KEY.test(k) || !LABEL_VALUE.test(v)) {
        throw new ProviderError({
          provider: "hetzner",
          kind: "invalid",
          message: `Tag "${t.slice(0, 60)}" cannot be a Hetzner label (key:value of letters, digits, '.', '_' and '-', up to 63 characters each).`,
        });
      }
      labels[k] = v;
    }
    labels[HETZNER_INSTANCE_LABEL] = p.instanceId;
    return labels;
  }

  async function ensureFirewall(p: PreparedCreate): Promise<number> {
    const [existing] = await list("/firewalls", "list firewalls", s.firewallsPage, (x) => x.firewalls, {
      label_selector: selector(p.instanceId),
    });
    if (existing) return existing.id;
    const res = await api.json(
      {
        method: "POST",
        path: "/firewalls",
        body: {
          name: resourceName(p.instanceId),
          labels: { [HETZNER_INSTANCE_LABEL]: p.instanceId },
          // Inbound rules only: none (the default) drops all inbound traffic.
          rules: p.inbound.map((r) => ({ direction: "in", protocol: "tcp", port: String(r.port), source_ips: r.sources })),
        },
        action: "create the firewall",
      },
      s.firewallOne,
    );
    return res.firewall.id;
  }

  async function ensureKey(p: PreparedCreate): Promise<number> {
    if (p.keyIsUsers) {
      const [found] = await list("/ssh_keys", "look up your SSH key", s.sshKeysPage, (x) => x.ssh_keys, { fingerprint: p.key.md5 });
      if (found) return found.id; // already in the project: used, never deleted by us
    } else {
      const [ours] = await list("/ssh_keys", "list SSH keys", s.sshKeysPage, (x) => x.ssh_keys, { label_selector: selector(p.instanceId) });
      if (ours) return ours.id; // from an earlier attempt of this create
    }
    const res = await api.json(
      {
        method: "POST",
        path: "/ssh_keys",
        body: { name: resourceName(p.instanceId), public_key: p.key.line, labels: { [HETZNER_INSTANCE_LABEL]: p.instanceId } },
        action: "upload the SSH public key",
      },
      s.sshKeyOne,
    );
    return res.ssh_key.id;
  }

  async function waitForAction(id: number, what: string): Promise<void> {
    for (let i = 0; i < 120; i++) {
      const { action } = await api.json({ method: "GET", path: `/actions/${id}`, action: `follow ${what}` }, s.actionOne);
      if (action.status === "success") return;
      if (action.status === "error") {
        throw new ProviderError({
          provider: "hetzner",
          kind: "unavailable",
          message: `Hetzner Cloud could not ${what} (${action.error?.code ?? "error"}: ${action.error?.message ?? ""}); retry later.`,
        });
      }
      await sleep(pollIntervalMs);
    }
    throw new ProviderError({
      provider: "hetzner",
      kind: "unavailable",
      message: `Hetzner Cloud has not finished ${what} yet; retry later.`,
    });
  }

  const driver: ComputeProviderV1 = {
    id: "hetzner",
    version: 1,

    async validateCredentials(): Promise<CredentialCheck> {
      // Any authenticated GET proves the token; 401 throws `unauthorized` from here.
      await api.json({ method: "GET", path: "/locations", query: { per_page: 1 }, action: "check the token" }, s.locationsPage);
      // Read-only tokens get 403 token_readonly on every write. The API does not say what a token
      // may do, so try a write that cannot succeed: uploading a "key" that is not a key. A Read &
      // Write token gets invalid_input, a Read token 403 — and nothing is created either way.
      const res = await api.send(
        {
          method: "POST",
          path: "/ssh_keys",
          body: { name: "clawcloud-permission-check", public_key: "clawcloud-permission-check" },
          action: "check the token's permission",
        },
        [400, 403, 409, 422],
      );
      if (res.status === 201) {
        const k = s.sshKeyOne.safeParse(res.body);
        if (k.success) await api.send({ method: "DELETE", path: `/ssh_keys/${k.data.ssh_key.id}`, action: "delete the check key" }, [404]);
      }
      return res.status === 403 ? { scopes: ["Read"], missingScopes: [READ_WRITE] } : { scopes: [READ_WRITE], missingScopes: [] };
    },

    async listRegions(): Promise<Region[]> {
      const locations = await list("/locations", "list locations", s.locationsPage, (p) => p.locations);
      return locations.map((l) => ({ id: l.name, name: l.description, location: `${l.city}, ${l.country}`, available: true }));
    },

    async listSizes(): Promise<Size[]> {
      const types = await list("/server_types", "list server types", s.serverTypesPage, (p) => p.server_types);
      const sizes: Size[] = [];
      for (const t of types) {
        if (t.deprecated) continue;
        // Net prices (before VAT), as DigitalOcean and Vultr quote theirs; they differ by location.
        const byRegion: Record<string, number> = {};
        for (const pr of t.prices) byRegion[pr.location] = toCents(pr.price_monthly.net);
        const prices = Object.values(byRegion).filter(Number.isFinite);
        if (prices.length === 0) continue;
        sizes.push({
          id: t.name,
          vcpus: t.cores,
          memoryMb: Math.round(t.memory * 1024),
          diskGb: t.disk,
          priceMonthlyCents: Math.min(...prices),
          currency: "EUR",
          regions: Object.keys(byRegion),
          priceMonthlyCentsByRegion: byRegion,
        });
      }
      return sizes;
    },

    async createServer(input): Promise<Server> {
      const p = prepareCreate(input, {
        provider: "hetzner",
        displayName: "Hetzner Cloud",
        userDataLimitBytes: HETZNER_USER_DATA_LIMIT,
        namePattern: NAME_PATTERN,
        nameHint: "it must be a valid host name (letters, digits, '-' and '.').",
      });
      const labels = labelsFor(p);
      const [existing] = await findServersByTag(p.instanceId);
      if (existing) return existing;

      const firewallId = await ensureFirewall(p);
      const keyId = await ensureKey(p);
      try {
        const res = await api.json(
          {
            method: "POST",
            path: "/servers",
            body: {
              name: p.name,
              server_type: p.size,
              image: input.image ?? HETZNER_DEFAULT_IMAGE,
              location: p.region,
              ssh_keys: [String(keyId)],
              user_data: p.userData,
              labels,
              firewalls: [{ firewall: firewallId }],
              start_after_create: true,
            },
            action: "create the server",
          },
          s.createServerResponse,
        );
        return { ...toServer(res.server), firewallId: String(firewallId) };
      } catch (e) {
        if (e instanceof ProviderError && e.status === 409) {
          // Names are unique per project: a server of this name exists. Ours, from an attempt whose
          // answer was lost? Then it is the answer.
          const same = await list("/servers", "look up the server by name", s.serversPage, (x) => x.servers, { name: p.name });
          const mine = same.find((x) => x.labels[HETZNER_INSTANCE_LABEL] === p.instanceId);
          if (mine) return toServer(mine);
          throw new ProviderError({
            provider: "hetzner",
            kind: "invalid",
            status: 409,
            message: `A server named "${p.name}" already exists in this Hetzner Cloud project; server names are unique per project, so choose another name.`,
          });
        }
        throw e;
      }
    },

    async getServer(serverId) {
      const x = await getRaw(serverId);
      return x ? toServer(x) : undefined;
    },

    findServersByTag,

    async deleteServer(serverId, o) {
      const x = await getRaw(serverId);
      let instanceId = o?.instanceId;
      if (x) {
        const own = x.labels[HETZNER_INSTANCE_LABEL];
        if (!own) throw notCreatedByUs("hetzner", `Server ${serverId}`, `${HETZNER_INSTANCE_LABEL} label`);
        instanceId = own;
        const res = await api.send({ method: "DELETE", path: `/servers/${serverId}`, action: "delete the server" }, [404]);
        if (res.status !== 404) await waitForAction(api.parse(s.actionOne, res, "delete the server").action.id, "deleting the server");
      }
      if (instanceId === undefined) return;
      checkInstanceId("hetzner", instanceId);
      const sel = { label_selector: selector(instanceId) };
      for (const f of await list("/firewalls", "list firewalls", s.firewallsPage, (p) => p.firewalls, sel)) {
        const res = await api.send({ method: "DELETE", path: `/firewalls/${f.id}`, action: "delete the firewall" }, [404, 422]);
        if (res.status === 422) {
          throw new ProviderError({
            provider: "hetzner",
            kind: "conflict",
            status: 422,
            message: "Hetzner Cloud still has the firewall applied to the server being deleted; retry in a few seconds.",
          });
        }
      }
      for (const k of await list("/ssh_keys", "list SSH keys", s.sshKeysPage, (p) => p.ssh_keys, sel)) {
        await api.send({ method: "DELETE", path: `/ssh_keys/${k.id}`, action: "delete the SSH key" }, [404]);
      }
    },

    async reboot(serverId) {
      if (!isId(serverId)) throw noSuchServer("hetzner", "Hetzner Cloud", "server", serverId);
      await api.json({ method: "POST", path: `/servers/${serverId}/actions/reboot`, action: "reboot the server" }, s.actionOne);
    },
  };
  return driver;
}
