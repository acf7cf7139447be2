// Static facts the Compute Engine API does not give us: prices and the machine types we offer.
//
// PRICES ARE A COMMITTED TABLE, NOT AN API ANSWER (the Cloud Billing Catalog API is a separate
// service). Hourly figures: Google's published on-demand list prices in us-central1 (Iowa), USD,
// as of 2024, entered from general knowledge of that list and NOT re-checked here (no internet
// access): a person must verify them against cloud.google.com/compute/vm-instance-pricing before
// they are shown as prices. Other regions cost more: the wizard should call them "from" prices.
// Monthly = hourly × 730 h, plus what every server gets: a 20 GB balanced persistent disk
// ($0.10 per GB-month = $2.00) and an ephemeral external IPv4 in use ($0.005 an hour = $3.65).

const HOURS_PER_MONTH = 730;
export const BOOT_DISK_GB = 20;
const DISK_USD_MONTH = 2.0;
const EXTERNAL_IP_USD_MONTH = 3.65;

interface MachineType {
  vcpus: number;
  memoryMb: number;
  usdPerHour: number;
}

export const GCP_MACHINE_TYPES: Readonly<Record<string, MachineType>> = {
  "e2-small": { vcpus: 2, memoryMb: 2048, usdPerHour: 0.016751 },
  "e2-medium": { vcpus: 2, memoryMb: 4096, usdPerHour: 0.033503 },
  "e2-standard-2": { vcpus: 2, memoryMb: 8192, usdPerHour: 0.067006 },
  "e2-standard-4": { vcpus: 4, memoryMb: 16384, usdPerHour: 0.134012 },
  "n2-standard-2": { vcpus: 2, memoryMb: 8192, usdPerHour: 0.097118 },
  "n2d-standard-2": { vcpus: 2, memoryMb: 8192, usdPerHour: 0.084492 },
  "t2d-standard-1": { vcpus: 1, memoryMb: 4096, usdPerHour: 0.042246 },
};

export const CURATED_MACHINE_TYPES = Object.keys(GCP_MACHINE_TYPES);

export function monthlyPriceCents(machineType: string): number | undefined {
  const m = GCP_MACHINE_TYPES[machineType];
  if (!m) return undefined;
  return Math.round((m.usdPerHour * HOURS_PER_MONTH + DISK_USD_MONTH + EXTERNAL_IP_USD_MONTH) * 100);
}

/**
 * Ubuntu 24.04 LTS: Google's Debian images ship no cloud-init, so they would ignore the `user-data`
 * key our bootstrap is written for; Canonical's GCE images run it at first boot.
 */
export const DEFAULT_IMAGE = "projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64";
