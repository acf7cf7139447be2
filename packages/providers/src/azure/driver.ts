// Azure driver (ComputeProviderV1) on the official SDKs (@azure/arm-compute 24, @azure/arm-network
// 36, @azure/identity 4). Decisions, in short:
// - Credential: a service principal's client secret for one subscription and ONE resource group,
//   which the user creates; everything Claw Cloud makes lives there (guide.ts: the custom role).
// - A server id is the VM name (`clawcloud-<instance id>`); the region is the VM's location.
// - Create: NSG (deny all inbound), VNet + subnet, Standard public IP, NIC, VM; each PUT names
//   come from the instance id (idempotent), the VM PUT carries If-None-Match: * (create.ts).
// - arm-compute 24 is TypeSpec-generated and FLATTENS `properties`: a nested `properties` object
//   is silently dropped. The contract tests assert on the wire body for that reason.
// - Long-running operations are polled by the SDK (Azure-AsyncOperation / Location, honouring
//   Retry-After, else every pollIntervalMs). Throttling: throttle.ts.
// - Delete: the VM (OS disk and NIC go with it), then NIC, public IP, VNet and our NSGs.
//
// One module per concept: arm.ts (clients, errors), credentials.ts, throttle.ts, names.ts,
// catalog.ts, list-catalog.ts, validate-credentials.ts, create-server.ts, delete-server.ts,
// servers.ts (reads, reboot), guide.ts (what to grant).

import { bindDriver } from "../common.ts";
import type { ComputeProviderV1 } from "../spec.ts";
import { type AzureDriverOptions, createArmContext } from "./arm.ts";
import { createServer } from "./create-server.ts";
import { deleteServer } from "./delete-server.ts";
import { listRegions, listSizes } from "./list-catalog.ts";
import { findServersByTag, getServer, reboot } from "./servers.ts";
import { validateCredentials } from "./validate-credentials.ts";

export function createAzureDriver(opts: AzureDriverOptions): ComputeProviderV1 {
  return bindDriver("azure", createArmContext(opts), {
    validateCredentials,
    listRegions,
    listSizes,
    createServer,
    getServer,
    findServersByTag,
    deleteServer,
    reboot,
  });
}
