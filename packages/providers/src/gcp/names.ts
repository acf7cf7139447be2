// Names and labels of what createServer makes. Compute Engine names are RFC 1035 (lowercase
// letters, digits, "-"; ≤ 63), so everything is named from our (lowercase) instance id: a retried
// create names the same instance and rules, and delete finds the rules by name prefix.

import { resourceName } from "../common.ts";

/** Label (for filtering) and metadata key (the exact id) on every instance of ours. */
export const GCP_INSTANCE_LABEL = "clawcloud-instance";
/** Metadata key keeping the name the caller gave the server (GCE names are derived from the id). */
export const GCP_NAME_KEY = "clawcloud-name";

export function namesFor(instanceId: string) {
  const base = resourceName(instanceId).toLowerCase();
  return { instance: base, networkTag: base, denyRule: `${base}-deny-all`, allowRule: (port: number) => `${base}-allow-${port}` };
}

/** Label values: lowercase letters, digits, "_" and "-", at most 63. */
export const labelValue = (instanceId: string) =>
  instanceId
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "-")
    .slice(0, 63);

/** A server id is "<zone>/<instance name>". */
export function parseServerId(serverId: string): { zone: string; name: string } | undefined {
  const m = /^([a-z]+-[a-z]+\d+-[a-z])\/([a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)$/.exec(serverId);
  return m?.[1] && m[2] ? { zone: m[1], name: m[2] } : undefined;
}

export const serverIdOf = (zone: string, name: string) => `${zone}/${name}`;

/** The last segment of a Compute Engine URL ("…/zones/europe-west3-a" → "europe-west3-a"). */
export const lastSegment = (url: string | null | undefined) => (url ?? "").split("/").pop() ?? "";
