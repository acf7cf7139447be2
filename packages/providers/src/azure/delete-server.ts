// deleteServer: refuses a VM without our tag, deletes the VM (its OS disk and NIC go with it by
// deleteOption), then the network pieces by name: NIC (when the VM never took it), public IP,
// virtual network, and the network security groups carrying our tag.

import { ProviderError } from "../spec.ts";
import type { ArmContext } from "./arm.ts";
import { AZURE_INSTANCE_TAG, namesFor } from "./names.ts";
import { getVm, instanceIdOf } from "./servers.ts";

/** Everything but the VM that createServer makes, in dependency order; what is gone is skipped. */
export async function deleteNetworkPieces(ctx: ArmContext, instanceId: string): Promise<void> {
  const n = namesFor(instanceId);
  const groups = await ctx.call("ListNetworkSecurityGroups", async () => {
    const out: string[] = [];
    for await (const g of ctx.network.networkSecurityGroups.list(ctx.rg, ctx.opts)) {
      if (g.name && g.tags?.[AZURE_INSTANCE_TAG] === instanceId) out.push(g.name);
    }
    return out;
  });
  const o = ctx.opts;
  await ctx.find("DeleteNetworkInterface", () => ctx.network.networkInterfaces.beginDeleteAndWait(ctx.rg, n.nic, o));
  await ctx.find("DeletePublicIPAddress", () => ctx.network.publicIPAddresses.beginDeleteAndWait(ctx.rg, n.ip, o));
  await ctx.find("DeleteVirtualNetwork", () => ctx.network.virtualNetworks.beginDeleteAndWait(ctx.rg, n.vnet, o));
  for (const g of groups)
    await ctx.find("DeleteNetworkSecurityGroup", () => ctx.network.networkSecurityGroups.beginDeleteAndWait(ctx.rg, g, o));
}

export async function deleteServer(ctx: ArmContext, serverId: string, opts?: { instanceId?: string }): Promise<void> {
  const vm = await getVm(ctx, serverId);
  const tagged = vm ? instanceIdOf(vm) : undefined;
  if (vm && (!tagged || (opts?.instanceId !== undefined && tagged !== opts.instanceId))) {
    throw new ProviderError({
      provider: "azure",
      kind: "forbidden",
      message: `Azure: refusing to delete ${serverId.slice(0, 64)}: it does not carry the ${AZURE_INSTANCE_TAG} tag of this instance, so Claw Cloud did not create it for this instance`,
    });
  }
  if (vm) await ctx.find("DeleteVirtualMachine", () => ctx.compute.virtualMachines.delete(ctx.rg, serverId, ctx.opts));
  const instanceId = tagged ?? opts?.instanceId;
  if (instanceId !== undefined) await deleteNetworkPieces(ctx, instanceId);
}
