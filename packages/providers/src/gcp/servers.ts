// Compute Engine instances as the spec's Server, and the reads on them: getServer,
// findServersByTag (an aggregated list across zones, filtered by our label), and reboot (reset).

import type { protos } from "@google-cloud/compute";
import { noSuchServer } from "../common.ts";
import type { Server, ServerStatus } from "../spec.ts";
import type { GceContext } from "./gce.ts";
import { GCP_INSTANCE_LABEL, GCP_NAME_KEY, labelValue, lastSegment, namesFor, parseServerId, serverIdOf } from "./names.ts";

type Instance = protos.google.cloud.compute.v1.IInstance;

export function statusOf(status: string | null | undefined): ServerStatus {
  switch (status) {
    case "PROVISIONING":
    case "STAGING":
      return "creating";
    case "RUNNING":
      return "running";
    case "STOPPING":
    case "STOPPED":
    case "SUSPENDING":
    case "SUSPENDED":
    case "TERMINATED":
      return "off";
    default:
      return "unknown";
  }
}

export const metadataValue = (inst: Instance, key: string) => inst.metadata?.items?.find((i) => i.key === key)?.value ?? undefined;

export const instanceIdOf = (inst: Instance) => metadataValue(inst, GCP_INSTANCE_LABEL);

export function toServer(inst: Instance): Server {
  const zone = lastSegment(inst.zone);
  const instanceId = instanceIdOf(inst);
  const nic = inst.networkInterfaces?.[0];
  const ipv4 = nic?.accessConfigs?.find((a) => a.natIP)?.natIP ?? undefined;
  const ipv6 = nic?.ipv6AccessConfigs?.find((a) => a.externalIpv6)?.externalIpv6 ?? undefined;
  return {
    id: serverIdOf(zone, inst.name ?? ""),
    instanceId,
    name: metadataValue(inst, GCP_NAME_KEY) ?? inst.name ?? "",
    status: statusOf(inst.status),
    region: zone,
    size: lastSegment(inst.machineType),
    ...(ipv4 ? { ipv4 } : {}),
    ...(ipv6 ? { ipv6 } : {}),
    ...(instanceId ? { firewallId: namesFor(instanceId).denyRule } : {}),
    ...(inst.creationTimestamp ? { createdAt: new Date(inst.creationTimestamp).toISOString() } : {}),
  };
}

export async function getInstance(ctx: GceContext, zone: string, name: string): Promise<Instance | undefined> {
  const r = await ctx.find("instances.get", () => ctx.instances.get({ project: ctx.project, zone, instance: name }, ctx.callOptions));
  return r?.[0];
}

export async function getServer(ctx: GceContext, serverId: string): Promise<Server | undefined> {
  const id = parseServerId(serverId);
  if (!id) return undefined;
  const inst = await getInstance(ctx, id.zone, id.name);
  return inst ? toServer(inst) : undefined;
}

export async function findServersByTag(ctx: GceContext, instanceId?: string): Promise<Server[]> {
  const filter = instanceId === undefined ? `labels.${GCP_INSTANCE_LABEL}:*` : `labels.${GCP_INSTANCE_LABEL} = "${labelValue(instanceId)}"`;
  return ctx.call("instances.aggregatedList", async () => {
    const out: Server[] = [];
    for await (const [, scoped] of ctx.instances.aggregatedListAsync(
      { project: ctx.project, filter, returnPartialSuccess: true },
      ctx.callOptions,
    )) {
      for (const inst of scoped.instances ?? []) {
        const ours = instanceIdOf(inst);
        if (ours !== undefined && (instanceId === undefined || ours === instanceId)) out.push(toServer(inst));
      }
    }
    return out;
  });
}

export async function reboot(ctx: GceContext, serverId: string): Promise<void> {
  const id = parseServerId(serverId);
  const notFound = () => noSuchServer("gcp", "GCP", "instance", serverId);
  if (!id) throw notFound();
  const r = await ctx.find("instances.reset", () =>
    ctx.instances.reset({ project: ctx.project, zone: id.zone, instance: id.name }, ctx.callOptions),
  );
  if (!r) throw notFound();
  await ctx.waitZone("instances.reset", id.zone, r[0].latestResponse as never);
}
