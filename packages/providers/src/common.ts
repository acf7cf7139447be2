// Checks and names every driver shares: what a create input must look like before any request is
// sent, how our resources are named, and which SSH key a server gets.

import { isIP } from "node:net";
import {
  type ComputeProviderV1,
  type CreateServerInput,
  type CredentialCheck,
  instanceTag,
  ProviderError,
  type ProviderId,
  type Region,
  type Server,
  type Size,
} from "./spec.ts";
import { type PublicKeyInfo, parsePublicKey, throwawayPublicKey } from "./ssh.ts";

/**
 * Instance ids travel in tags and labels: DigitalOcean tags allow [A-Za-z0-9_:-], Hetzner label
 * values allow 63 characters of [A-Za-z0-9._-] starting and ending alphanumeric. Our ids
 * (`ins_<ulid>`) fit both.
 */
export const INSTANCE_ID_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;

/** A tag/label every server of ours carries, so "all of ours" is one filtered list call. */
export const MANAGED_TAG = "clawcloud";

/**
 * Name of the firewall and SSH key made for an instance. DigitalOcean firewall names allow only
 * [A-Za-z0-9.-], so "_" becomes "-". Lookups go by tag/label where the API has them; the name is
 * for people reading their cloud console.
 */
export const resourceName = (instanceId: string) => `clawcloud-${instanceId.replaceAll("_", "-")}`;

export function invalidInput(provider: ProviderId, message: string): ProviderError {
  return new ProviderError({ provider, kind: "invalid", message });
}

/** deleteServer's refusal of a server that does not carry our tag or label. */
export function notCreatedByUs(provider: ProviderId, server: string, marker: string): ProviderError {
  return new ProviderError({
    provider,
    kind: "forbidden",
    message: `${server} was not created by Claw Cloud (it has no ${marker}); not deleting it.`,
  });
}

/** A server id that cannot name a server of this provider (reboot). */
export function noSuchServer(provider: ProviderId, displayName: string, noun: string, serverId: string): ProviderError {
  return new ProviderError({ provider, kind: "not_found", message: `${displayName} has no ${noun} ${serverId.slice(0, 40)}.` });
}

export function checkInstanceId(provider: ProviderId, instanceId: string): void {
  if (!INSTANCE_ID_PATTERN.test(instanceId)) {
    throw invalidInput(
      provider,
      `Instance id "${instanceId.slice(0, 80)}" cannot be used as a tag: use 1–63 letters, digits, "_" or "-", starting and ending with a letter or digit.`,
    );
  }
}

export interface InboundRule {
  port: number;
  /** CIDR blocks ("203.0.113.7/32", "2001:db8::/48"). */
  sources: string[];
}

export interface PreparedCreate {
  instanceId: string;
  tag: string;
  name: string;
  region: string;
  size: string;
  userData: string;
  extraTags: string[];
  inbound: InboundRule[];
  /** The key the server gets: the user's own, or a throwaway whose private half is gone. */
  key: PublicKeyInfo;
  keyIsUsers: boolean;
}

export interface CreateRules {
  provider: ProviderId;
  displayName: string;
  /** Largest user-data the API takes, in bytes of the text before any encoding. */
  userDataLimitBytes?: number;
  /** Server names the API accepts. */
  namePattern: RegExp;
  nameHint: string;
}

/** Validates a create input and picks the SSH key. Throws `invalid` before anything is sent. */
export function prepareCreate(input: CreateServerInput, rules: CreateRules): PreparedCreate {
  const { provider, displayName } = rules;
  checkInstanceId(provider, input.instanceId);
  if (!rules.namePattern.test(input.name)) {
    throw invalidInput(provider, `Server name "${input.name.slice(0, 80)}" is not accepted by ${displayName}: ${rules.nameHint}`);
  }
  if (!input.region) throw invalidInput(provider, "Choose a region.");
  if (!input.size) throw invalidInput(provider, "Choose a server size.");
  const bytes = Buffer.byteLength(input.userData, "utf8");
  if (rules.userDataLimitBytes !== undefined && bytes > rules.userDataLimitBytes) {
    throw invalidInput(
      provider,
      `The start-up script (user-data) is ${bytes} bytes; ${displayName} accepts at most ${rules.userDataLimitBytes} bytes (${rules.userDataLimitBytes / 1024} KiB).`,
    );
  }
  const inbound: InboundRule[] = [];
  for (const rule of input.firewall.inbound) {
    if (!Number.isInteger(rule.port) || rule.port < 1 || rule.port > 65535) {
      throw invalidInput(provider, `Firewall port ${String(rule.port)} is not a port number (1–65535).`);
    }
    if (rule.sources.length === 0) throw invalidInput(provider, `Firewall rule for port ${rule.port} lists no source addresses.`);
    const sources: string[] = [];
    for (const s of rule.sources) {
      const cidr = toCidr(s);
      if (!cidr) throw invalidInput(provider, `Firewall source "${s.slice(0, 60)}" is not an IP address or CIDR block.`);
      sources.push(cidr);
    }
    inbound.push({ port: rule.port, sources });
  }
  let key: PublicKeyInfo;
  let keyIsUsers = false;
  if (input.userSshPublicKey) {
    const parsed = parsePublicKey(input.userSshPublicKey);
    if ("error" in parsed) throw invalidInput(provider, parsed.error);
    key = parsed;
    keyIsUsers = true;
  } else {
    key = throwawayPublicKey(instanceTag(input.instanceId));
  }
  return {
    instanceId: input.instanceId,
    tag: instanceTag(input.instanceId),
    name: input.name,
    region: input.region,
    size: input.size,
    userData: input.userData,
    extraTags: input.tags ?? [],
    inbound,
    key,
    keyIsUsers,
  };
}

/** "203.0.113.7" → "203.0.113.7/32"; a CIDR is checked and kept; anything else → undefined. */
export function toCidr(source: string): string | undefined {
  const s = source.trim();
  const [addr, prefix, ...extra] = s.split("/");
  if (!addr || extra.length > 0) return undefined;
  const family = isIP(addr);
  if (family === 0) return undefined;
  const max = family === 4 ? 32 : 128;
  if (prefix === undefined) return `${addr}/${max}`;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return undefined;
  return `${addr}/${Number(prefix)}`;
}

/** Extra `key:value` tags → [key, value]; a tag without ":" has an empty value. */
export function splitTag(tag: string): [string, string] {
  const i = tag.indexOf(":");
  return i < 0 ? [tag, ""] : [tag.slice(0, i), tag.slice(i + 1)];
}

/** Whole cents from a decimal amount ("4.5100000000", 24, 3.5). */
export function toCents(amount: number | string): number {
  const n = typeof amount === "number" ? amount : Number(amount);
  if (!Number.isFinite(n)) return Number.NaN;
  return Math.round(n * 100);
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

/** undefined when `p` fails with a not_found ProviderError (the resource is gone); other failures pass. */
export async function unlessNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof ProviderError && err.kind === "not_found") return undefined;
    throw err;
  }
}

/**
 * The catalogue's sizes, in its order, that the provider offers somewhere (`where`), priced: for the
 * drivers whose prices are a committed table (AWS, Azure, GCP).
 */
export function pricedSizes(
  catalogue: Readonly<Record<string, { vcpus: number; memoryMb: number }>>,
  where: ReadonlyMap<string, Iterable<string>>,
  o: { diskGb: number; price(id: string): number | undefined },
): Size[] {
  const sizes: Size[] = [];
  for (const [id, info] of Object.entries(catalogue)) {
    const regions = [...new Set(where.get(id) ?? [])].sort();
    const price = o.price(id);
    if (regions.length === 0 || price === undefined) continue;
    sizes.push({ id, vcpus: info.vcpus, memoryMb: info.memoryMb, diskGb: o.diskGb, priceMonthlyCents: price, currency: "USD", regions });
  }
  return sizes;
}

/** A driver's operations, each taking the driver's context first. */
export interface DriverOperations<C> {
  validateCredentials(ctx: C): Promise<CredentialCheck>;
  listRegions(ctx: C): Promise<Region[]>;
  listSizes(ctx: C): Promise<Size[]>;
  createServer(ctx: C, input: CreateServerInput): Promise<Server>;
  getServer(ctx: C, serverId: string): Promise<Server | undefined>;
  findServersByTag(ctx: C, instanceId?: string): Promise<Server[]>;
  deleteServer(ctx: C, serverId: string, opts?: { instanceId?: string }): Promise<void>;
  reboot(ctx: C, serverId: string): Promise<void>;
}

/** The ComputeProviderV1 of a driver split into one module per operation over a shared context. */
export function bindDriver<C>(id: ProviderId, ctx: C, ops: DriverOperations<C>): ComputeProviderV1 {
  return {
    id,
    version: 1,
    validateCredentials: () => ops.validateCredentials(ctx),
    listRegions: () => ops.listRegions(ctx),
    listSizes: () => ops.listSizes(ctx),
    createServer: (input) => ops.createServer(ctx, input),
    getServer: (serverId) => ops.getServer(ctx, serverId),
    findServersByTag: (instanceId) => ops.findServersByTag(ctx, instanceId),
    deleteServer: (serverId, o) => ops.deleteServer(ctx, serverId, o),
    reboot: (serverId) => ops.reboot(ctx, serverId),
  };
}
