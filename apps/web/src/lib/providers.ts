/** Display names for provider ids, shared by instances and cloud accounts. */
const PROVIDER_NAMES: Record<string, string> = {
  local: "This machine",
  digitalocean: "DigitalOcean",
  hetzner: "Hetzner",
  vultr: "Vultr",
  aws: "AWS",
  azure: "Azure",
  gcp: "Google Cloud",
};

export function providerName(id: string): string {
  return PROVIDER_NAMES[id] ?? id;
}

const MONOGRAMS: Record<string, string> = { digitalocean: "DO", hetzner: "H", vultr: "V", aws: "AWS", azure: "Az", gcp: "GC", local: "L" };

/** A short mark for a provider tile (no third-party logos are shipped). */
export function providerMonogram(id: string): string {
  return MONOGRAMS[id] ?? id.slice(0, 2).toUpperCase();
}
