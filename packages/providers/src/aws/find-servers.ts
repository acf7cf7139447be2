// Reading and poking existing servers: getServer by id, findServersByTag across every enabled
// region, and reboot.

import { RebootInstancesCommand } from "@aws-sdk/client-ec2";
import { mapLimit } from "../common.ts";
import { ProviderError, type Server } from "../spec.ts";
import type { Ec2Context } from "./ec2.ts";
import { parseServerId } from "./ids.ts";
import { describeInstances, describeOne, regionsToSearch } from "./lookups.ts";
import { ourLiveInstances, toServer } from "./servers.ts";

export async function getServer(ctx: Ec2Context, serverId: string): Promise<Server | undefined> {
  const id = parseServerId(serverId, ctx.defaultRegion);
  if (!id) return undefined;
  const inst = await describeOne(ctx, id.region, id.ec2Id);
  // A terminated instance stays visible for about an hour, but the server is gone.
  return inst && inst.State?.Name !== "terminated" ? toServer(id.region, inst) : undefined;
}

export async function findServersByTag(ctx: Ec2Context, instanceId?: string): Promise<Server[]> {
  const regions = await regionsToSearch(ctx);
  const perRegion = await mapLimit(regions, 4, async (region) =>
    (await describeInstances(ctx, region, ourLiveInstances(instanceId))).map((i) => toServer(region, i)),
  );
  return perRegion.flat();
}

export async function reboot(ctx: Ec2Context, serverId: string): Promise<void> {
  const id = parseServerId(serverId, ctx.defaultRegion);
  const notFound = () =>
    new ProviderError({ provider: "aws", kind: "not_found", message: `AWS RebootInstances: no server ${serverId.slice(0, 60)}` });
  if (!id) throw notFound();
  const r = await ctx.callOr(id.region, "RebootInstances", ["InvalidInstanceID.NotFound"], (c) =>
    c.send(new RebootInstancesCommand({ InstanceIds: [id.ec2Id] })),
  );
  if (!r.ok) throw notFound();
}
