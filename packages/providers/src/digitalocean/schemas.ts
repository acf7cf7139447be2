// The part of the DigitalOcean API v2 the driver reads, and nothing more. Zod objects drop every
// field they do not name, so anything else a response carries never leaves the driver.
// Checked against digitalocean.openapi.yaml by the contract tests.

import { z } from "zod";

const pages = z
  .object({ pages: z.object({ next: z.string().optional() }).partial().optional() })
  .partial()
  .optional();

export const pageLinks = z.object({ links: pages });
export type PageLinks = z.output<typeof pageLinks>;

export const account = z.object({
  account: z.object({
    email: z.string().optional(),
    name: z.string().optional(),
    status: z.string().optional(),
    team: z.object({ name: z.string().optional() }).optional(),
  }),
});

export const region = z.object({ slug: z.string(), name: z.string(), available: z.boolean() });
export const regionsPage = pageLinks.extend({ regions: z.array(region) });

export const size = z.object({
  slug: z.string(),
  vcpus: z.number(),
  memory: z.number(),
  disk: z.number(),
  price_monthly: z.number(),
  regions: z.array(z.string()),
  available: z.boolean(),
});
export const sizesPage = pageLinks.extend({ sizes: z.array(size) });

export const droplet = z.object({
  id: z.number().int(),
  name: z.string(),
  status: z.string(),
  created_at: z.string().optional(),
  size_slug: z.string(),
  region: z.object({ slug: z.string() }),
  tags: z.array(z.string()).nullish(),
  networks: z
    .object({
      v4: z.array(z.object({ ip_address: z.string(), type: z.string() })).optional(),
      v6: z.array(z.object({ ip_address: z.string(), type: z.string() })).optional(),
    })
    .optional(),
});
export type Droplet = z.infer<typeof droplet>;

export const dropletOne = z.object({ droplet });
export const dropletsPage = pageLinks.extend({ droplets: z.array(droplet) });

export const firewall = z.object({
  id: z.string(),
  name: z.string(),
  tags: z.array(z.string()).nullish(),
  droplet_ids: z.array(z.number()).nullish(),
});
export const firewallOne = z.object({ firewall });
export const firewallsPage = pageLinks.extend({ firewalls: z.array(firewall) });

export const sshKey = z.object({ id: z.number().int(), fingerprint: z.string(), name: z.string() });
export const sshKeyOne = z.object({ ssh_key: sshKey });
export const sshKeysPage = pageLinks.extend({ ssh_keys: z.array(sshKey) });

export const errorBody = z.object({ id: z.string().optional(), message: z.string().optional() });
