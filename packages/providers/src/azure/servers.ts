// Azure VMs as the spec's Server, and the reads on them: getServer, findServersByTag, reboot.
// A server id is the VM's name in the credential's resource group (the group is fixed per
// credential, so the name alone finds it).

import type { VirtualMachine } from "@azure/arm-compute";
import { mapLimit, noSuchServer } from "../common.ts";
import type { Server, ServerStatus } from "../spec.ts";
import type { ArmContext } from "./arm.ts";
import { AZURE_INSTANCE_TAG, namesFor, VM_NAME_PATTERN } from "./names.ts";

export function statusOf(vm: VirtualMachine): ServerStatus {
  switch (vm.provisioningState) {
    case "Creating":
      return "creating";
    case "Deleting":
      return "deleting";
    case "Failed":
    case "Canceled":
      return "unknown";
    default:
      break;
  }
  const power = vm.instanceView?.statuses?.find((s) => s.code?.startsWith("PowerState/"))?.code?.slice("PowerState/".length);
  switch (power) {
    case "running":
      return "running";
    case "starting":
      return "creating";
    case "stopping":
    case "stopped":
    case "deallocating":
    case "deallocated":
      return "off";
    default:
      // Provisioned but no instance view asked for or given yet.
      return vm.provisioningState === "Succeeded" ? "running" : "unknown";
  }
}

export const instanceIdOf = (vm: VirtualMachine) => vm.tags?.[AZURE_INSTANCE_TAG];

/** The public IPv4 of an instance's address resource, when it has one yet. */
export async function publicIpOf(ctx: ArmContext, instanceId: string | undefined): Promise<string | undefined> {
  if (!instanceId) return undefined;
  const ip = await ctx.find("GetPublicIPAddress", () => ctx.network.publicIPAddresses.get(ctx.rg, namesFor(instanceId).ip, ctx.opts));
  return ip?.ipAddress;
}

export function toServer(vm: VirtualMachine, ipv4: string | undefined): Server {
  const instanceId = instanceIdOf(vm);
  return {
    id: vm.name ?? "",
    instanceId,
    name: vm.osProfile?.computerName ?? vm.name ?? "",
    status: statusOf(vm),
    region: vm.location ?? "",
    size: vm.hardwareProfile?.vmSize ?? "",
    ...(ipv4 ? { ipv4 } : {}),
    ...(instanceId ? { firewallId: namesFor(instanceId).nsg } : {}),
    ...(vm.timeCreated ? { createdAt: new Date(vm.timeCreated).toISOString() } : {}),
  };
}

export async function getVm(ctx: ArmContext, name: string): Promise<VirtualMachine | undefined> {
  if (!VM_NAME_PATTERN.test(name)) return undefined;
  return ctx.find("GetVirtualMachine", () => ctx.compute.virtualMachines.get(ctx.rg, name, { ...ctx.opts, expand: "instanceView" }));
}

export async function getServer(ctx: ArmContext, serverId: string): Promise<Server | undefined> {
  const vm = await getVm(ctx, serverId);
  if (!vm || vm.provisioningState === "Deleting") return vm ? toServer(vm, undefined) : undefined;
  return toServer(vm, await publicIpOf(ctx, instanceIdOf(vm)));
}

export async function findServersByTag(ctx: ArmContext, instanceId?: string): Promise<Server[]> {
  const vms = await ctx.call("ListVirtualMachines", async () => {
    const out: VirtualMachine[] = [];
    for await (const vm of ctx.compute.virtualMachines.list(ctx.rg, ctx.opts)) out.push(vm);
    return out;
  });
  const ours = vms.filter((vm) => {
    const tag = instanceIdOf(vm);
    return tag !== undefined && (instanceId === undefined || tag === instanceId);
  });
  return mapLimit(ours, 4, async (vm) => toServer(vm, await publicIpOf(ctx, instanceIdOf(vm))));
}

export async function reboot(ctx: ArmContext, serverId: string): Promise<void> {
  const vm = await getVm(ctx, serverId);
  if (!vm) throw noSuchServer("azure", "Azure", "virtual machine", serverId);
  await ctx.call("RestartVirtualMachine", () => ctx.compute.virtualMachines.restart(ctx.rg, serverId, ctx.opts));
}
