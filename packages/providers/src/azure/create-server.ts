// createServer: in the credential's resource group, a network security group denying all inbound
// (plus only the user's own rules), a virtual network whose subnet carries it, a Standard static
// public IPv4 (explicit outbound, closed inbound), a NIC, and the VM: customData = base64
// cloud-init, a throwaway SSH key whose private half never existed outside ssh.ts, no password,
// extensions (Run Command, VMAccess) off, OS disk and NIC deleted with the VM. Every resource is
// tagged and named after our instance id, so a retry PUTs the same names; the VM PUT carries
// `If-None-Match: *`, so a retry can never rewrite a VM that exists (ARM answers 412 instead).

import { isIP } from "node:net";
import type { VirtualMachine } from "@azure/arm-compute";
import type { SecurityRule } from "@azure/arm-network";
import { type InboundRule, prepareCreate, splitTag } from "../common.ts";
import { type CreateServerInput, ProviderError, type Server } from "../spec.ts";
import type { ArmContext } from "./arm.ts";
import { imageReference, OS_DISK_GB } from "./catalog.ts";
import { deleteNetworkPieces } from "./delete-server.ts";
import { AZURE_INSTANCE_TAG, namesFor, VM_NAME_PATTERN } from "./names.ts";
import { getVm, instanceIdOf, publicIpOf, toServer } from "./servers.ts";

/** customData: Azure's limit on the decoded bytes. */
export const MAX_CUSTOM_DATA_BYTES = 65_535;
const ADMIN_USER = "clawcloud";
const DENY_ALL_PRIORITY = 4096;

/** NSG rules: the user's inbound ports (one rule per port and address family), then deny-all. */
export function securityRules(inbound: InboundRule[]): SecurityRule[] {
  const rules: SecurityRule[] = [];
  for (const r of inbound) {
    for (const family of [4, 6]) {
      const prefixes = r.sources.filter((s) => isIP(s.split("/")[0] ?? "") === family);
      if (prefixes.length === 0) continue;
      rules.push({
        name: `allow-tcp-${r.port}-ipv${family}`,
        protocol: "Tcp",
        sourcePortRange: "*",
        destinationPortRange: String(r.port),
        sourceAddressPrefixes: prefixes,
        destinationAddressPrefix: "*",
        access: "Allow",
        priority: 100 + rules.length,
        direction: "Inbound",
      });
    }
  }
  rules.push({
    name: "deny-all-inbound",
    protocol: "*",
    sourcePortRange: "*",
    destinationPortRange: "*",
    sourceAddressPrefix: "*",
    destinationAddressPrefix: "*",
    access: "Deny",
    priority: DENY_ALL_PRIORITY,
    direction: "Inbound",
  });
  return rules;
}

export async function createServer(ctx: ArmContext, input: CreateServerInput): Promise<Server> {
  const p = prepareCreate(input, {
    provider: "azure",
    displayName: "Azure",
    userDataLimitBytes: MAX_CUSTOM_DATA_BYTES,
    namePattern: VM_NAME_PATTERN,
    nameHint: "use 1–64 letters, digits or '-', starting and ending with a letter or digit.",
  });
  const n = namesFor(p.instanceId);
  const location = p.region;
  const tags: Record<string, string> = { [AZURE_INSTANCE_TAG]: p.instanceId };
  for (const t of p.extraTags) {
    const [k, v] = splitTag(t);
    if (k && k !== AZURE_INSTANCE_TAG) tags[k] = v;
  }

  const existing = await getVm(ctx, n.vm);
  if (existing) return returnExisting(ctx, existing, p.instanceId);

  const o = ctx.opts;
  const nsg = await ctx.call("CreateNetworkSecurityGroup", () =>
    ctx.network.networkSecurityGroups.beginCreateOrUpdateAndWait(
      ctx.rg,
      n.nsg,
      { location, tags, securityRules: securityRules(p.inbound) },
      o,
    ),
  );
  const vnet = await ctx.call("CreateVirtualNetwork", () =>
    ctx.network.virtualNetworks.beginCreateOrUpdateAndWait(
      ctx.rg,
      n.vnet,
      {
        location,
        tags,
        addressSpace: { addressPrefixes: ["10.10.0.0/16"] },
        subnets: [{ name: n.subnet, addressPrefix: "10.10.0.0/24", networkSecurityGroup: { id: nsg.id } }],
      },
      o,
    ),
  );
  const subnetId = vnet.subnets?.find((s) => s.name === n.subnet)?.id;
  const ip = await ctx.call("CreatePublicIPAddress", () =>
    ctx.network.publicIPAddresses.beginCreateOrUpdateAndWait(
      ctx.rg,
      n.ip,
      { location, tags, sku: { name: "Standard" }, publicIPAllocationMethod: "Static", publicIPAddressVersion: "IPv4" },
      o,
    ),
  );
  const nic = await ctx.call("CreateNetworkInterface", () =>
    ctx.network.networkInterfaces.beginCreateOrUpdateAndWait(
      ctx.rg,
      n.nic,
      {
        location,
        tags,
        networkSecurityGroup: { id: nsg.id },
        ipConfigurations: [
          { name: "ipconfig1", subnet: { id: subnetId }, publicIPAddress: { id: ip.id }, privateIPAllocationMethod: "Dynamic" },
        ],
      },
      o,
    ),
  );

  const vm: VirtualMachine = {
    location,
    tags,
    hardwareProfile: { vmSize: p.size },
    storageProfile: {
      imageReference: imageReference(input.image),
      osDisk: {
        name: n.disk,
        createOption: "FromImage",
        deleteOption: "Delete",
        diskSizeGB: OS_DISK_GB,
        managedDisk: { storageAccountType: "StandardSSD_LRS" },
      },
    },
    osProfile: {
      computerName: p.name,
      adminUsername: ADMIN_USER,
      // cloud-init reads customData at first boot; Azure never returns it on a GET.
      customData: Buffer.from(p.userData, "utf8").toString("base64"),
      linuxConfiguration: {
        disablePasswordAuthentication: true,
        ssh: { publicKeys: [{ path: `/home/${ADMIN_USER}/.ssh/authorized_keys`, keyData: p.key.line }] },
      },
      // No VM extensions: that shuts out Run Command and VMAccess (password/key resets).
      allowExtensionOperations: false,
    },
    networkProfile: { networkInterfaces: [{ id: nic.id, primary: true, deleteOption: "Delete" }] },
  };
  try {
    const made = await ctx.call("CreateVirtualMachine", () =>
      ctx.compute.virtualMachines.createOrUpdate(ctx.rg, n.vm, vm, { ...o, ifNoneMatch: "*" }),
    );
    return toServer(made, ip.ipAddress ?? (await publicIpOf(ctx, p.instanceId)));
  } catch (err) {
    if (err instanceof ProviderError && err.status === 412) {
      // An earlier attempt made the VM (its answer was lost): If-None-Match kept it as it was.
      const vmNow = await getVm(ctx, n.vm);
      if (vmNow) return returnExisting(ctx, vmNow, p.instanceId);
    }
    // A VM whose provisioning failed is removed, so that a retry starts clean; a refusal (not a
    // timeout) made no VM. Either way the network pieces made for it go.
    const failed = await getVm(ctx, n.vm).catch(() => undefined);
    if (failed?.provisioningState === "Failed") {
      await ctx.find("DeleteVirtualMachine", () => ctx.compute.virtualMachines.delete(ctx.rg, n.vm, o)).catch(() => undefined);
    }
    if (err instanceof ProviderError && (!err.retryable || failed?.provisioningState === "Failed")) {
      await deleteNetworkPieces(ctx, p.instanceId).catch(() => undefined);
    }
    throw err;
  }
}

async function returnExisting(ctx: ArmContext, vm: VirtualMachine, instanceId: string): Promise<Server> {
  if (instanceIdOf(vm) !== instanceId) {
    throw new ProviderError({
      provider: "azure",
      kind: "conflict",
      message: `Azure: a virtual machine named ${vm.name ?? ""} exists in the resource group but was not made for this instance`,
    });
  }
  if (vm.provisioningState === "Failed") {
    throw new ProviderError({
      provider: "azure",
      kind: "unknown",
      message: `Azure: creating virtual machine ${vm.name ?? ""} failed; delete the instance and deploy again`,
    });
  }
  return toServer(vm, await publicIpOf(ctx, instanceId));
}
