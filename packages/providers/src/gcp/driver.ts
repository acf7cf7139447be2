// GCP Compute Engine driver (ComputeProviderV1) on the official @google-cloud/compute over REST.
// Decisions, in short:
// - Credential: a service account JSON key; its own self-signed JWTs authenticate every call
//   (credentials.ts). The roles to grant: guide.ts.
// - "Region" is a zone; a server id is "<zone>/<instance name>", the name derived from our
//   instance id (names.ts).
// - Create: a deny-all ingress firewall rule for the instance's network tag (+ the user's allow
//   rules), then the instance with user-data, block-project-ssh-keys, no service account, labels;
//   inserts carry a requestId (create-server.ts). Operations are waited on (gce.ts).
// - Delete: the instance (the boot disk goes with it), then its firewall rules.
// - The image defaults to Ubuntu 24.04 LTS: Google's Debian images lack cloud-init.

import { bindDriver } from "../common.ts";
import type { ComputeProviderV1 } from "../spec.ts";
import { createServer } from "./create-server.ts";
import { deleteServer } from "./delete-server.ts";
import { createGceContext, type GcpDriverOptions } from "./gce.ts";
import { listRegions, listSizes } from "./list-catalog.ts";
import { findServersByTag, getServer, reboot } from "./servers.ts";
import { validateCredentials } from "./validate-credentials.ts";

export function createGcpDriver(opts: GcpDriverOptions): ComputeProviderV1 {
  return bindDriver("gcp", createGceContext(opts), {
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
