// The part of the Hetzner Cloud API the driver reads. Zod objects drop every field they do not
// name — notably `root_password` in the create response, which is never read. Checked against
// hetzner.openapi.json by the contract tests.

import { z } from "zod";

export const paginated = z.object({
  meta: z.object({ pagination: z.object({ next_page: z.number().int().nullable() }) }).optional(),
});
export type Paginated = z.output<typeof paginated>;

export const location = z.object({ name: z.string(), description: z.string(), city: z.string(), country: z.string() });
export const locationsPage = paginated.extend({ locations: z.array(location) });

const price = z.object({ net: z.string(), gross: z.string() });
export const serverType = z.object({
  name: z.string(),
  cores: z.number(),
  memory: z.number(),
  disk: z.number(),
  deprecated: z.boolean().nullable(),
  prices: z.array(z.object({ location: z.string(), price_monthly: price })),
});
export const serverTypesPage = paginated.extend({ server_types: z.array(serverType) });

export const server = z.object({
  id: z.number().int(),
  name: z.string(),
  status: z.string(),
  created: z.string(),
  labels: z.record(z.string(), z.string()),
  server_type: z.object({ name: z.string() }),
  location: z.object({ name: z.string() }),
  public_net: z.object({
    ipv4: z.object({ ip: z.string() }).nullable(),
    ipv6: z.object({ ip: z.string() }).nullable(),
    firewalls: z.array(z.object({ id: z.number().int() })).optional(),
  }),
});
export type HServer = z.output<typeof server>;
export const serverOne = z.object({ server });
export const serversPage = paginated.extend({ servers: z.array(server) });

export const action = z.object({
  id: z.number().int(),
  status: z.string(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export const actionOne = z.object({ action });
/** POST /servers: `root_password` is deliberately absent, so it is dropped here. */
export const createServerResponse = z.object({ server, action });

export const firewall = z.object({ id: z.number().int(), name: z.string(), labels: z.record(z.string(), z.string()) });
export const firewallOne = z.object({ firewall });
export const firewallsPage = paginated.extend({ firewalls: z.array(firewall) });

export const sshKey = z.object({
  id: z.number().int(),
  name: z.string(),
  fingerprint: z.string(),
  labels: z.record(z.string(), z.string()),
});
export const sshKeyOne = z.object({ ssh_key: sshKey });
export const sshKeysPage = paginated.extend({ ssh_keys: z.array(sshKey) });

export const errorBody = z.object({ error: z.object({ code: z.string().optional(), message: z.string().optional() }) });
