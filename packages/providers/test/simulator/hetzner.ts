// A stateful Hetzner Cloud API simulator: servers (initializing → running), actions, firewalls
// applied at create, SSH keys, labels and label selectors, locations and server types with
// per-location prices, Read and Read & Write tokens, and Hetzner's rate limit (3,600 requests an
// hour per project, refilling one a second) with its headers. Responses follow
// hetzner.openapi.json: the contract tests validate every one. The wire format (catalog, objects,
// errors, rate limit) is in hetzner-wire.ts.

import { fakePassword, looksLikePublicKey, matchesSelector, type Route, SimServer } from "./core.ts";
import {
  actionObj,
  err,
  firewallObj,
  type HAction,
  type HFirewall,
  type HKey,
  type HServer,
  type HType,
  keyObj,
  LOCATIONS,
  paged,
  profile,
  REAL_TYPES,
  serverObj,
  typeObj,
} from "./hetzner-wire.ts";
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
import type { ConformanceSim, SimFirewallView, SimOperation } from "./types.ts";

export const HETZNER_TOKENS = {
  valid: "simvalidHetznerToken000000000000000000000000000000000000000000000",
  revoked: "simrevokedHetznerToken0000000000000000000000000000000000000000000",
  limited: "simlimitedHetznerToken0000000000000000000000000000000000000000000",
} as const;

export interface HetznerSimOptions extends ProviderSimOptions {
  /** Return a root_password even when SSH keys are given (to prove the driver drops it). */
  rootPasswordAlways?: boolean;
  /** Reads of an action before it succeeds (default 1). */
  actionPolls?: number;
}

export class HetznerSimulator extends SimulatorBase implements ConformanceSim {
  readonly servers = new Map<number, HServer>();
  readonly firewalls = new Map<number, HFirewall>();
  readonly keys = new Map<number, HKey>();
  readonly actions = new Map<number, HAction>();
  readonly types: HType[];
  readonly server: SimServer;
  readonly #issued: string[] = [];
  readonly #due: ReturnType<typeof bootPolicy>;
  readonly #rootPasswordAlways: boolean;
  readonly #actionPolls: number;
  #nextId = 42;
  #nextAction = 13;

  constructor(o: HetznerSimOptions = {}) {
    super();
    this.#due = bootPolicy(o);
    this.#rootPasswordAlways = o.rootPasswordAlways ?? false;
    this.#actionPolls = o.actionPolls ?? 1;
    this.types = withExtras(REAL_TYPES, o.extraSizes, (i) => ({
      id: 1000 + i,
      name: `simx${i + 1}`,
      cores: 1 + (i % 16),
      memory: 2 + (i % 30),
      disk: 20 + i,
      eur: 4 + i * 0.25,
    }));
    const tokens = standardTokens(HETZNER_TOKENS, "all", { label: "read-only", grants: new Set(["read"]) });
    this.server = new SimServer(profile(), this.#routes(), tokens, o);
  }

  serverCount(): number {
    return this.servers.size;
  }
  serverIds(): string[] {
    return [...this.servers.keys()].map(String);
  }
  firewallOf(serverId: string): SimFirewallView | undefined {
    const s = this.servers.get(Number(serverId));
    if (!s) return undefined;
    const applied = s.firewalls.map((id) => this.firewalls.get(id)).filter((f): f is HFirewall => f !== undefined);
    if (applied.length === 0) return undefined;
    const inbound = applied.flatMap((f) =>
      f.rules.filter((r) => r.direction === "in").map((r) => ({ protocol: r.protocol, ports: r.port ?? "0", sources: r.source_ips })),
    );
    // Hetzner allows all outbound traffic while a firewall has no outbound rule.
    const outboundAllowed = applied.every((f) => !f.rules.some((r) => r.direction === "out"));
    return { inbound, outboundAllowed };
  }
  sshKeysOf(serverId: string): string[] {
    return this.servers.get(Number(serverId))?.keys ?? [];
  }
  userDataOf(serverId: string): string | undefined {
    return this.servers.get(Number(serverId))?.userData;
  }
  firewallCount(): number {
    return this.firewalls.size;
  }
  sshKeyCount(): number {
    return this.keys.size;
  }
  issuedSecrets(): string[] {
    return [...this.#issued];
  }
  catalog() {
    return { regions: LOCATIONS.length, sizes: this.types.length };
  }

  #progress(s: HServer, now: number) {
    if (this.#due(s, now) && s.status === "initializing") s.status = "running";
  }
  #serverObj(s: HServer) {
    return serverObj(s, this.types);
  }
  #firewallObj(f: HFirewall) {
    return firewallObj(f, this.servers.values());
  }
  #newAction(command: string, resources: HAction["resources"], now: number, done: boolean, onDone?: () => void): HAction {
    const a: HAction = { id: this.#nextAction++, command, resources, started: now, polls: 0, done, onDone };
    this.actions.set(a.id, a);
    return a;
  }

  #routes(): Route[] {
    const r = (method: string, path: string, handle: Route["handle"], op?: SimOperation): Route =>
      route(method, path, method === "GET" ? ["read"] : ["write"], handle, op);
    const labelsOf = (v: unknown): Record<string, string> | { bad: true } => {
      if (v === undefined) return {};
      if (!v || typeof v !== "object" || Array.isArray(v)) return { bad: true };
      for (const [k, x] of Object.entries(v))
        if (typeof x !== "string" || k.includes(":") || !/^(()|[a-z0-9A-Z]|([a-z0-9A-Z][a-z0-9A-Z._-]{0,61}[a-z0-9A-Z]))$/.test(x))
          return { bad: true };
      return v as Record<string, string>;
    };
    return [
      r("GET", "/locations", (ctx) => paged(ctx, "locations", LOCATIONS), "list_regions"),
      r(
        "GET",
        "/server_types",
        (ctx) =>
          paged(
            ctx,
            "server_types",
            this.types.map((t) => typeObj(t)),
          ),
        "list_sizes",
      ),
      r(
        "GET",
        "/servers",
        (ctx) => {
          const name = ctx.query.get("name");
          const list = [...this.servers.values()].filter(
            (s) => (name === null || s.name === name) && matchesSelector(s.labels, ctx.query.get("label_selector")),
          );
          for (const s of list) this.#progress(s, ctx.now);
          return paged(
            ctx,
            "servers",
            list.map((s) => this.#serverObj(s)),
          );
        },
        "list_servers",
      ),
      r(
        "POST",
        "/servers",
        (ctx) => {
          const b = (ctx.body ?? {}) as Record<string, unknown>;
          if (typeof b.name !== "string" || typeof b.server_type !== "string" || typeof b.image !== "string")
            return err(400, "invalid_input", "invalid input in fields 'name', 'server_type', 'image'");
          if (!this.types.some((t) => t.name === b.server_type)) return err(400, "invalid_input", `server type ${b.server_type} not found`);
          const location = typeof b.location === "string" ? b.location : "fsn1";
          if (!LOCATIONS.some((l) => l.name === location)) return err(400, "invalid_input", `location ${location} not found`);
          if (typeof b.user_data === "string" && Buffer.byteLength(b.user_data) > 32 * 1024)
            return err(400, "invalid_input", "invalid input in field 'user_data': too long");
          const labels = labelsOf(b.labels);
          if ("bad" in labels) return err(400, "invalid_input", "invalid input in field 'labels'");
          if ([...this.servers.values()].some((s) => s.name === b.name)) return err(409, "uniqueness_error", "server name is already used");
          const keys: string[] = [];
          for (const ref of Array.isArray(b.ssh_keys) ? (b.ssh_keys as unknown[]) : []) {
            const k = /^\d+$/.test(String(ref)) ? this.keys.get(Number(ref)) : [...this.keys.values()].find((x) => x.name === ref);
            if (!k) return err(400, "invalid_input", `SSH key ${String(ref)} not found`);
            keys.push(k.public_key);
          }
          const firewalls: number[] = [];
          for (const f of Array.isArray(b.firewalls) ? (b.firewalls as { firewall?: unknown }[]) : []) {
            if (!this.firewalls.has(Number(f.firewall))) return err(400, "invalid_input", `firewall ${String(f.firewall)} not found`);
            firewalls.push(Number(f.firewall));
          }
          const s: HServer = {
            id: this.#nextId++,
            name: b.name,
            status: "initializing",
            created: ctx.now,
            polls: 0,
            type: b.server_type,
            location,
            labels,
            keys,
            firewalls,
            userData: typeof b.user_data === "string" ? b.user_data : undefined,
          };
          this.servers.set(s.id, s);
          const rootPassword = keys.length === 0 || this.#rootPasswordAlways ? fakePassword(this.server.random) : null;
          if (rootPassword) this.#issued.push(rootPassword);
          const action = this.#newAction("create_server", [{ id: s.id, type: "server" }], ctx.now, false);
          return {
            status: 201,
            body: {
              action: actionObj(action),
              next_actions: [actionObj(this.#newAction("start_server", [{ id: s.id, type: "server" }], ctx.now, false))],
              root_password: rootPassword,
              server: this.#serverObj(s),
            },
          };
        },
        "create_server",
      ),
      r(
        "GET",
        "/servers/:id",
        (ctx) => {
          const s = this.servers.get(Number(ctx.params.id));
          if (!s) return err(404, "not_found", `server with ID '${ctx.params.id}' not found`);
          this.#progress(s, ctx.now);
          return { status: 200, body: { server: this.#serverObj(s) } };
        },
        "get_server",
      ),
      r(
        "DELETE",
        "/servers/:id",
        (ctx) => {
          const s = this.servers.get(Number(ctx.params.id));
          if (!s) return err(404, "not_found", `server with ID '${ctx.params.id}' not found`);
          s.status = "deleting";
          const a = this.#newAction("delete_server", [{ id: s.id, type: "server" }], ctx.now, false, () => this.servers.delete(s.id));
          return { status: 200, body: { action: actionObj(a) } };
        },
        "delete_server",
      ),
      r(
        "POST",
        "/servers/:id/actions/reboot",
        (ctx) => {
          const s = this.servers.get(Number(ctx.params.id));
          if (!s) return err(404, "not_found", `server with ID '${ctx.params.id}' not found`);
          return {
            status: 201,
            body: { action: actionObj(this.#newAction("reboot_server", [{ id: s.id, type: "server" }], ctx.now, false)) },
          };
        },
        "reboot_server",
      ),
      r(
        "GET",
        "/actions/:id",
        (ctx) => {
          const a = this.actions.get(Number(ctx.params.id));
          if (!a) return err(404, "not_found", `action with ID '${ctx.params.id}' not found`);
          a.polls += 1;
          if (!a.done && a.polls >= this.#actionPolls) {
            a.done = true;
            a.onDone?.();
          }
          return { status: 200, body: { action: actionObj(a) } };
        },
        "get_action",
      ),
      r(
        "GET",
        "/firewalls",
        (ctx) => {
          const name = ctx.query.get("name");
          const list = [...this.firewalls.values()].filter(
            (f) => (name === null || f.name === name) && matchesSelector(f.labels, ctx.query.get("label_selector")),
          );
          return paged(
            ctx,
            "firewalls",
            list.map((f) => this.#firewallObj(f)),
          );
        },
        "list_firewalls",
      ),
      r(
        "POST",
        "/firewalls",
        (ctx) => {
          const b = (ctx.body ?? {}) as Record<string, unknown>;
          if (typeof b.name !== "string") return err(400, "invalid_input", "invalid input in field 'name'");
          if ([...this.firewalls.values()].some((f) => f.name === b.name))
            return err(409, "uniqueness_error", "firewall name is already used");
          const labels = labelsOf(b.labels);
          if ("bad" in labels) return err(400, "invalid_input", "invalid input in field 'labels'");
          const rules: HFirewall["rules"] = [];
          for (const x of Array.isArray(b.rules) ? (b.rules as Record<string, unknown>[]) : []) {
            if (x.direction !== "in" && x.direction !== "out") return err(400, "invalid_input", "invalid input in field 'direction'");
            if (!["tcp", "udp", "icmp", "esp", "gre"].includes(String(x.protocol)))
              return err(400, "invalid_input", "invalid input in field 'protocol'");
            rules.push({
              direction: x.direction,
              protocol: String(x.protocol),
              port: typeof x.port === "string" ? x.port : null,
              source_ips: Array.isArray(x.source_ips) ? (x.source_ips as string[]) : [],
              destination_ips: Array.isArray(x.destination_ips) ? (x.destination_ips as string[]) : [],
              description: typeof x.description === "string" ? x.description : null,
            });
          }
          const f: HFirewall = { id: this.#nextId++, name: b.name, created: ctx.now, labels, rules };
          this.firewalls.set(f.id, f);
          return { status: 201, body: { actions: [], firewall: this.#firewallObj(f) } };
        },
        "create_firewall",
      ),
      r(
        "DELETE",
        "/firewalls/:id",
        (ctx) => {
          const id = Number(ctx.params.id);
          if (!this.firewalls.has(id)) return err(404, "not_found", `firewall with ID '${ctx.params.id}' not found`);
          if ([...this.servers.values()].some((s) => s.firewalls.includes(id)))
            return err(422, "resource_in_use", "Firewall still applied to a resource");
          this.firewalls.delete(id);
          return { status: 204 };
        },
        "delete_firewall",
      ),
      r(
        "GET",
        "/ssh_keys",
        (ctx) => {
          const fp = ctx.query.get("fingerprint");
          const name = ctx.query.get("name");
          const list = [...this.keys.values()].filter(
            (k) =>
              (fp === null || k.fingerprint === fp) &&
              (name === null || k.name === name) &&
              matchesSelector(k.labels, ctx.query.get("label_selector")),
          );
          return paged(
            ctx,
            "ssh_keys",
            list.map((k) => keyObj(k)),
          );
        },
        "list_ssh_keys",
      ),
      r(
        "POST",
        "/ssh_keys",
        (ctx) => {
          const b = (ctx.body ?? {}) as Record<string, unknown>;
          if (typeof b.name !== "string" || !looksLikePublicKey(b.public_key))
            return err(400, "invalid_input", "invalid input in field 'public_key'");
          const labels = labelsOf(b.labels);
          if ("bad" in labels) return err(400, "invalid_input", "invalid input in field 'labels'");
          const fingerprint = md5Fingerprint(b.public_key);
          if ([...this.keys.values()].some((k) => k.name === b.name || k.fingerprint === fingerprint))
            return err(409, "uniqueness_error", "SSH key with the same fingerprint or name already exists");
          const k: HKey = { id: this.#nextId++, name: b.name, public_key: b.public_key, fingerprint, labels, created: ctx.now };
          this.keys.set(k.id, k);
          return { status: 201, body: { ssh_key: keyObj(k) } };
        },
        "create_ssh_key",
      ),
      r(
        "DELETE",
        "/ssh_keys/:id",
        (ctx) => {
          if (!this.keys.delete(Number(ctx.params.id))) return err(404, "not_found", `SSH key with ID '${ctx.params.id}' not found`);
          return { status: 204 };
        },
        "delete_ssh_key",
      ),
    ];
  }
}

export async function startHetznerSimulator(o: HetznerSimOptions = {}): Promise<HetznerSimulator> {
  return started(new HetznerSimulator(o));
}
