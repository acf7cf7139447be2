// createServer: a firewall rule denying all ingress to the instance's network tag (plus one allow
// rule per port the user opened, at a higher priority), then the instance: metadata `user-data`
// (cloud-init), `block-project-ssh-keys=TRUE`, OS Login off and no instance key unless the user
// gave their own (so no account anywhere can log in), no service account (so the VM holds no
// Google credentials), labels and metadata carrying our instance id, an ephemeral external IPv4
// for egress. Every insert carries a `requestId` derived from the instance id: Compute Engine
// ignores a repeated request id, so a retry after a lost answer never makes a second instance.

import type { protos } from "@google-cloud/compute";
import { type InboundRule, prepareCreate, splitTag } from "../common.ts";
import { type CreateServerInput, ProviderError, type Server } from "../spec.ts";
import { BOOT_DISK_GB, DEFAULT_IMAGE } from "./catalog.ts";
import { deleteFirewalls } from "./delete-server.ts";
import { type GceContext, requestIdFor } from "./gce.ts";
import { GCP_INSTANCE_LABEL, GCP_NAME_KEY, labelValue, namesFor, serverIdOf } from "./names.ts";
import { getInstance, instanceIdOf, toServer } from "./servers.ts";

/** Compute Engine's limit on one metadata value. */
export const MAX_USER_DATA_BYTES = 256 * 1024;
const DENY_PRIORITY = 1000;
const ALLOW_PRIORITY = 900;

type Firewall = protos.google.cloud.compute.v1.IFirewall;

/** The firewall rules for an instance: deny all ingress to its tag, allow only what was asked. */
export function firewallRules(instanceId: string, network: string, inbound: InboundRule[]): Firewall[] {
  const n = namesFor(instanceId);
  const net = `global/networks/${network}`;
  const rules: Firewall[] = [
    {
      name: n.denyRule,
      description: "Claw Cloud: no inbound traffic to this server",
      network: net,
      direction: "INGRESS",
      priority: DENY_PRIORITY,
      denied: [{ IPProtocol: "all" }],
      sourceRanges: ["0.0.0.0/0", "::/0"],
      targetTags: [n.networkTag],
    },
  ];
  for (const r of inbound) {
    rules.push({
      name: n.allowRule(r.port),
      description: `Claw Cloud: TCP ${r.port} from the addresses the user chose`,
      network: net,
      direction: "INGRESS",
      priority: ALLOW_PRIORITY,
      allowed: [{ IPProtocol: "tcp", ports: [String(r.port)] }],
      sourceRanges: r.sources,
      targetTags: [n.networkTag],
    });
  }
  return rules;
}

async function ensureFirewall(ctx: GceContext, rule: Firewall): Promise<void> {
  const name = rule.name ?? "";
  try {
    const [op] = await ctx.call("firewalls.insert", () =>
      ctx.firewalls.insert({ project: ctx.project, firewallResource: rule, requestId: requestIdFor("firewall", name) }, ctx.callOptions),
    );
    await ctx.waitGlobal("firewalls.insert", op.latestResponse as never);
  } catch (err) {
    // Made by an earlier attempt whose answer was lost (or is running): the rule is there.
    if (err instanceof ProviderError && err.kind === "conflict") return;
    throw err;
  }
}

export async function createServer(ctx: GceContext, input: CreateServerInput): Promise<Server> {
  const p = prepareCreate(input, {
    provider: "gcp",
    displayName: "GCP",
    userDataLimitBytes: MAX_USER_DATA_BYTES,
    namePattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/,
    nameHint: "use 1–63 letters, digits or '-', starting and ending with a letter or digit.",
  });
  const zone = p.region;
  const n = namesFor(p.instanceId);
  const existing = await getInstance(ctx, zone, n.instance);
  if (existing) return returnExisting(existing, p.instanceId);

  const rules = firewallRules(p.instanceId, ctx.network, p.inbound);
  for (const rule of rules) await ensureFirewall(ctx, rule);

  const labels: Record<string, string> = { [GCP_INSTANCE_LABEL]: labelValue(p.instanceId) };
  for (const t of p.extraTags) {
    const [k, v] = splitTag(t);
    const key = k.toLowerCase().replace(/[^a-z0-9_-]/g, "-");
    if (/^[a-z]/.test(key) && key !== GCP_INSTANCE_LABEL)
      labels[key.slice(0, 63)] = v
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, "-")
        .slice(0, 63);
  }
  const metadata = [
    { key: "user-data", value: p.userData },
    { key: "block-project-ssh-keys", value: "TRUE" },
    { key: "enable-oslogin", value: "FALSE" },
    { key: GCP_INSTANCE_LABEL, value: p.instanceId },
    { key: GCP_NAME_KEY, value: p.name },
    // Only the user's own key, when they chose full SSH access; never one of ours.
    ...(p.keyIsUsers ? [{ key: "ssh-keys", value: `clawcloud:${p.key.line}` }] : []),
  ];
  const instance: protos.google.cloud.compute.v1.IInstance = {
    name: n.instance,
    machineType: `zones/${zone}/machineTypes/${p.size}`,
    labels,
    tags: { items: [n.networkTag] },
    metadata: { items: metadata },
    disks: [
      {
        boot: true,
        autoDelete: true,
        initializeParams: {
          sourceImage: input.image ?? DEFAULT_IMAGE,
          diskSizeGb: String(BOOT_DISK_GB),
          diskType: `zones/${zone}/diskTypes/pd-balanced`,
          labels,
        },
      },
    ],
    networkInterfaces: [{ network: `global/networks/${ctx.network}`, accessConfigs: [{ name: "External NAT", type: "ONE_TO_ONE_NAT" }] }],
    // No serviceAccounts: the VM gets no Google credentials from its metadata server.
    shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
  };
  try {
    const [op] = await ctx.call("instances.insert", () =>
      ctx.instances.insert(
        { project: ctx.project, zone, instanceResource: instance, requestId: requestIdFor("instance", p.instanceId) },
        ctx.callOptions,
      ),
    );
    await ctx.waitZone("instances.insert", zone, op.latestResponse as never);
  } catch (err) {
    if (err instanceof ProviderError && err.kind === "conflict") {
      const made = await getInstance(ctx, zone, n.instance);
      if (made) return returnExisting(made, p.instanceId);
    }
    // A refusal made no instance: the rules made for it go.
    if (err instanceof ProviderError && !err.retryable) await deleteFirewalls(ctx, p.instanceId).catch(() => undefined);
    throw err;
  }
  const made = await getInstance(ctx, zone, n.instance);
  if (!made) {
    return { id: serverIdOf(zone, n.instance), instanceId: p.instanceId, name: p.name, status: "creating", region: zone, size: p.size };
  }
  return toServer(made);
}

function returnExisting(inst: protos.google.cloud.compute.v1.IInstance, instanceId: string): Server {
  if (instanceIdOf(inst) !== instanceId) {
    throw new ProviderError({
      provider: "gcp",
      kind: "conflict",
      message: `GCP: an instance named ${inst.name ?? ""} exists but was not made for this instance`,
    });
  }
  return toServer(inst);
}
