// Names of what createServer makes for an instance. Everything lives in the credential's resource
// group and is named after our instance id, so a retried create PUTs the same names (ARM PUT is
// keyed by name) and delete can find each piece even when the VM is already gone.

import { resourceName } from "../common.ts";

/** The tag on every resource we create: key `clawcloud-instance`, value our instance id. */
export const AZURE_INSTANCE_TAG = "clawcloud-instance";

export function namesFor(instanceId: string) {
  const base = resourceName(instanceId);
  return {
    vm: base,
    nsg: `${base}-nsg`,
    vnet: `${base}-vnet`,
    subnet: "default",
    ip: `${base}-ip`,
    nic: `${base}-nic`,
    disk: `${base}-osdisk`,
  };
}

/** Azure VM names: 1–64 letters, digits, "-" (Linux computer names allow no "_"). */
export const VM_NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?$/;
