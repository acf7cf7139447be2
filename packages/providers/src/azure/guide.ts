// What a user grants Claw Cloud in Azure, as data for the Cloud accounts page: a custom role,
// assigned to a service principal at the scope of ONE resource group, that can make and remove
// VMs and their network pieces there and nothing else. It deliberately leaves out Run Command
// (`virtualMachines/runCommand/action`, `runCommands/*`) and VM extensions, so the credential
// cannot execute anything inside a VM; the driver also creates VMs with allowExtensionOperations
// false. The action list follows Azure's documented resource-provider operations; check it once
// in a real tenant (`az role definition create` validates the names) before publishing changes.

export const AZURE_REQUIRED_ACTIONS = [
  "Microsoft.Resources/subscriptions/resourceGroups/read",
  "Microsoft.Compute/virtualMachines/read",
  "Microsoft.Compute/virtualMachines/write",
  "Microsoft.Compute/virtualMachines/delete",
  "Microsoft.Compute/virtualMachines/restart/action",
  "Microsoft.Compute/disks/read",
  "Microsoft.Compute/disks/write",
  "Microsoft.Compute/disks/delete",
  "Microsoft.Compute/skus/read",
  "Microsoft.Compute/locations/operations/read",
  "Microsoft.Network/networkSecurityGroups/read",
  "Microsoft.Network/networkSecurityGroups/write",
  "Microsoft.Network/networkSecurityGroups/delete",
  "Microsoft.Network/networkSecurityGroups/join/action",
  "Microsoft.Network/virtualNetworks/read",
  "Microsoft.Network/virtualNetworks/write",
  "Microsoft.Network/virtualNetworks/delete",
  "Microsoft.Network/virtualNetworks/subnets/read",
  "Microsoft.Network/virtualNetworks/subnets/write",
  "Microsoft.Network/virtualNetworks/subnets/join/action",
  "Microsoft.Network/publicIPAddresses/read",
  "Microsoft.Network/publicIPAddresses/write",
  "Microsoft.Network/publicIPAddresses/delete",
  "Microsoft.Network/publicIPAddresses/join/action",
  "Microsoft.Network/networkInterfaces/read",
  "Microsoft.Network/networkInterfaces/write",
  "Microsoft.Network/networkInterfaces/delete",
  "Microsoft.Network/networkInterfaces/join/action",
  "Microsoft.Network/locations/operations/read",
  "Microsoft.Network/locations/operationResults/read",
] as const;

/** Actions that would let the credential run code inside a VM: the role must not grant them. */
export const AZURE_FORBIDDEN_ACTIONS = [
  "Microsoft.Compute/virtualMachines/runCommand/action",
  "Microsoft.Compute/virtualMachines/runCommands/write",
  "Microsoft.Compute/virtualMachines/extensions/write",
] as const;

/** The custom role to create (`az role definition create --role-definition role.json`). */
export function azureRoleDefinition(subscriptionId = "<subscription-id>", resourceGroup = "<resource-group>") {
  return {
    Name: "Claw Cloud VM operator",
    IsCustom: true,
    Description: "Create and delete Claw Cloud servers in one resource group; no Run Command, no VM extensions.",
    Actions: [...AZURE_REQUIRED_ACTIONS],
    NotActions: [
      ...AZURE_FORBIDDEN_ACTIONS,
      "Microsoft.Compute/virtualMachines/runCommands/*",
      "Microsoft.Compute/virtualMachines/extensions/*",
    ],
    AssignableScopes: [`/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`],
  };
}

export const azureGuide = {
  tokenUrl: "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
  permissions: [
    "A resource group only for Claw Cloud (e.g. clawcloud), in the region you will deploy to",
    "A custom role assignable to that resource group with exactly these actions:",
    ...AZURE_REQUIRED_ACTIONS,
    "Not granted, on purpose: Microsoft.Compute/virtualMachines/runCommand/action, runCommands/*, extensions/* (running code inside a VM)",
  ],
  notes:
    "Least privilege on Azure: 1) az group create -n clawcloud -l <region>. 2) Save the role JSON shown here as role.json and run " +
    "az role definition create --role-definition role.json (a custom role scoped to that one resource group; it cannot run " +
    "commands inside VMs or install extensions — do not use Contributor or Virtual Machine Contributor, which can). " +
    '3) az ad sp create-for-rbac -n clawcloud --role "Claw Cloud VM operator" --scopes /subscriptions/<subscription-id>/resourceGroups/clawcloud ' +
    "prints the appId (client id), password (client secret) and tenant. Paste them here with the subscription id and the " +
    "resource group name. Claw Cloud creates every server, disk, address and network in that group, tagged clawcloud-instance, " +
    "with no password, a throwaway SSH key nobody holds, extensions disabled and all inbound traffic denied.",
};
