// Static facts ARM does not give us: prices and the sizes we offer.
//
// PRICES ARE A COMMITTED TABLE, NOT AN API ANSWER. ARM has no price call (the Azure Retail Prices
// API is a separate public service). The hourly figures are Azure's published pay-as-you-go list
// prices for Linux VMs in East US, USD, as of 2024, entered from general knowledge of that list and
// NOT re-checked here (no internet access): a person must verify them against
// azure.microsoft.com/pricing/details/virtual-machines/linux/ before they are shown as prices.
// Other regions cost more, so the wizard should call these "from" prices. Monthly = hourly × 730 h,
// plus what every server gets: a 30 GiB Standard SSD OS disk (E4, $2.40 a month) and a Standard
// static public IPv4 ($0.005 an hour = $3.65 a month).

const HOURS_PER_MONTH = 730;
const OS_DISK_USD_MONTH = 2.4;
const PUBLIC_IP_USD_MONTH = 3.65;
export const OS_DISK_GB = 30;

interface AzureSize {
  vcpus: number;
  memoryMb: number;
  usdPerHour: number;
}

/** East US Linux pay-as-you-go. Every size here is x86_64 with ≥ 2 GiB. */
export const AZURE_SIZES: Readonly<Record<string, AzureSize>> = {
  Standard_B1ms: { vcpus: 1, memoryMb: 2048, usdPerHour: 0.0207 },
  Standard_B2s: { vcpus: 2, memoryMb: 4096, usdPerHour: 0.0416 },
  Standard_B2ms: { vcpus: 2, memoryMb: 8192, usdPerHour: 0.0832 },
  Standard_B4ms: { vcpus: 4, memoryMb: 16384, usdPerHour: 0.166 },
  Standard_D2s_v5: { vcpus: 2, memoryMb: 8192, usdPerHour: 0.096 },
  Standard_D4s_v5: { vcpus: 4, memoryMb: 16384, usdPerHour: 0.192 },
  Standard_D2as_v5: { vcpus: 2, memoryMb: 8192, usdPerHour: 0.086 },
};

export function monthlyPriceCents(size: string): number | undefined {
  const s = AZURE_SIZES[size];
  if (!s) return undefined;
  return Math.round((s.usdPerHour * HOURS_PER_MONTH + OS_DISK_USD_MONTH + PUBLIC_IP_USD_MONTH) * 100);
}

/** Debian 12 from Debian's own Marketplace publisher; its Azure images run cloud-init on customData. */
export const DEFAULT_IMAGE = { publisher: "Debian", offer: "debian-12", sku: "12-gen2", version: "latest" } as const;

/** "Publisher:Offer:Sku:Version", the form `az vm create --image` takes; otherwise the default. */
export function imageReference(image: string | undefined): { publisher: string; offer: string; sku: string; version: string } {
  const parts = image?.split(":") ?? [];
  if (parts.length !== 4 || parts.some((p) => !p)) return { ...DEFAULT_IMAGE };
  const [publisher, offer, sku, version] = parts as [string, string, string, string];
  return { publisher, offer, sku, version };
}
