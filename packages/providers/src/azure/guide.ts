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

export const azureGuide = {
  tokenUrl: "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
  // The actions of the custom role, to paste into its definition.
  permissions: [...AZURE_REQUIRED_ACTIONS],
  notes: [
    "Least privilege: a custom role with exactly the actions listed, assigned to a service principal on ONE resource group kept for Claw Cloud. Not Contributor or Virtual Machine Contributor: those can run commands inside VMs (runCommand/action) and install extensions; this role cannot, and Claw Cloud also creates every VM with extensions disabled.",
    "1. Create the resource group: az group create -n clawcloud -l <region>.",
    '2. Create the role: save {"Name": "Claw Cloud VM operator", "Actions": [the actions listed], "NotActions": ["Microsoft.Compute/virtualMachines/runCommand/action", "Microsoft.Compute/virtualMachines/runCommands/*", "Microsoft.Compute/virtualMachines/extensions/*"], "AssignableScopes": ["/subscriptions/<subscription-id>/resourceGroups/clawcloud"]} as role.json, then az role definition create --role-definition role.json.',
    '3. Create the service principal with only that role, on only that group: az ad sp create-for-rbac -n clawcloud --role "Claw Cloud VM operator" --scopes /subscriptions/<subscription-id>/resourceGroups/clawcloud. It prints appId (the client id), password (the client secret) and tenant.',
    "4. Paste those here with the subscription id and the resource group name. Claw Cloud creates each server's disk, address, network and firewall in that group, tagged clawcloud-instance, with no password, a throwaway SSH key nobody holds and all inbound traffic denied; deleting the server removes them all.",
  ].join("\n"),
};
