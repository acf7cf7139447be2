// The part of the Vultr API v2 the driver reads. Zod objects drop every field they do not name —
// notably the instance's `default_password`, which is never read. Checked against
// vultr.openapi.json by the contract tests.

import { z } from "zod";

export const cursorMeta = z.object({
  meta: z.object({ links: z.object({ next: z.string().optional() }).optional() }).optional(),
});
export type CursorMeta = z.output<typeof cursorMeta>;

export const account = z.object({
  account: z.object({ name: z.string().optional(), email: z.string().optional(), acls: z.array(z.string()).optional() }),
});

export const region = z.object({ id: z.string(), city: z.string(), country: z.string(), continent: z.string().optional() });
export const regionsPage = cursorMeta.extend({ regions: z.array(region) });

export const plan = z.object({
  id: z.string(),
  vcpu_count: z.number(),
  ram: z.number(),
  disk: z.number(),
  monthly_cost: z.number(),
  locations: z.array(z.string()),
});
export const plansPage = cursorMeta.extend({ plans: z.array(plan) });

/** `default_password` is deliberately absent, so it is dropped here. */
export const instance = z.object({
  id: z.string(),
  label: z.string().optional(),
  status: z.string(),
  power_status: z.string().optional(),
  region: z.string(),
  plan: z.string(),
  main_ip: z.string().optional(),
  v6_networks: z.array(z.object({ main_ip: z.string().optional() })).optional(),
  date_created: z.string().optional(),
  firewall_group_id: z.string().optional(),
  tags: z.array(z.string()).optional(),
});
export type VInstance = z.output<typeof instance>;
export const instanceOne = z.object({ instance });
export const instancesPage = cursorMeta.extend({ instances: z.array(instance) });

export const firewallGroup = z.object({ id: z.string(), description: z.string().optional() });
export const firewallGroupOne = z.object({ firewall_group: firewallGroup });
export const firewallGroupsPage = cursorMeta.extend({ firewall_groups: z.array(firewallGroup) });

export const firewallRule = z.object({
  ip_type: z.string(),
  protocol: z.string(),
  port: z.string().optional(),
  subnet: z.string(),
  subnet_size: z.number(),
});
export const firewallRulesPage = cursorMeta.extend({ firewall_rules: z.array(firewallRule) });

export const sshKey = z.object({ id: z.string(), name: z.string(), ssh_key: z.string() });
export const sshKeyOne = z.object({ ssh_key: sshKey });
export const sshKeysPage = cursorMeta.extend({ ssh_keys: z.array(sshKey) });

export const errorBody = z.object({ error: z.string().optional(), status: z.number().optional() });
