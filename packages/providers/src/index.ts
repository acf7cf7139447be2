// @clawcloud/providers: the ComputeProviderV1 spec, the drivers, and what the web shows about
// each provider's token.

// The AWS, Azure and GCP drivers (and their SDKs) are imported only when one is first used
// (lazy-driver.ts); from their folders this module takes types and the light guide files alone.
import type { AwsCredentials } from "./aws/credentials.ts";
import { awsGuide } from "./aws/guide.ts";
import type { AzureDriverOptions } from "./azure/arm.ts";
import type { AzureCredentials } from "./azure/credentials.ts";
import { azureGuide } from "./azure/guide.ts";
import { createDigitalOceanDriver, digitalOceanGuide } from "./digitalocean/driver.ts";
import type { GcpCredentials } from "./gcp/credentials.ts";
import type { GcpDriverOptions } from "./gcp/gce.ts";
import { gcpGuide } from "./gcp/guide.ts";
import { createHetznerDriver, hetznerGuide } from "./hetzner/driver.ts";
import { lazyDriver } from "./lazy-driver.ts";
import type { ComputeProviderV1, DriverOptions, ProviderId } from "./spec.ts";
import { createVultrDriver, vultrGuide } from "./vultr/driver.ts";

export { createDigitalOceanDriver, DIGITALOCEAN_SCOPES, DIGITALOCEAN_USER_DATA_LIMIT } from "./digitalocean/driver.ts";
export { createHetznerDriver, HETZNER_USER_DATA_LIMIT } from "./hetzner/driver.ts";
export * from "./local/index.ts";
export * from "./spec.ts";
export { parsePublicKey } from "./ssh.ts";
export { createVultrDriver, VULTR_ACLS } from "./vultr/driver.ts";
export type { AwsCredentials, AzureCredentials, AzureDriverOptions, GcpCredentials, GcpDriverOptions };
export { awsGuide, azureGuide, gcpGuide };

export interface ProviderGuide {
  /** Where the user creates the token (or, for AWS, the IAM role). */
  tokenUrl: string;
  /** The least permissions to grant, in the provider's own words. */
  permissions: string[];
  notes: string;
}

export const providerGuides: Record<ProviderId, ProviderGuide> = {
  digitalocean: digitalOceanGuide,
  hetzner: hetznerGuide,
  vultr: vultrGuide,
  aws: { tokenUrl: "https://console.aws.amazon.com/iam/home#/roles", permissions: awsGuide.permissions, notes: awsGuide.notes },
  azure: azureGuide,
  gcp: gcpGuide,
};

export type TokenCredentials = { token: string };

export interface CredentialsByProvider {
  digitalocean: TokenCredentials;
  hetzner: TokenCredentials;
  vultr: TokenCredentials;
  aws: AwsCredentials;
  azure: AzureCredentials;
  gcp: GcpCredentials;
}

/** Endpoints beyond the API's own that a driver may be pointed at (Azure's Entra ID, GCP's Resource Manager). */
export interface ExtraEndpoints {
  azureAuthorityHost?: string;
  gcpResourceManagerUrl?: string;
}

/** The driver for a provider, given that provider's kind of credentials. */
export function createDriver<P extends ProviderId>(
  provider: P,
  opts: DriverOptions<CredentialsByProvider[P]>,
  extra: ExtraEndpoints = {},
): ComputeProviderV1 {
  switch (provider) {
    case "digitalocean":
      return createDigitalOceanDriver(opts as DriverOptions<TokenCredentials>);
    case "hetzner":
      return createHetznerDriver(opts as DriverOptions<TokenCredentials>);
    case "vultr":
      return createVultrDriver(opts as DriverOptions<TokenCredentials>);
    case "aws":
      return lazyDriver(provider, async () => (await import("./aws/driver.ts")).createAwsDriver(opts as DriverOptions<AwsCredentials>));
    case "azure":
      return lazyDriver(provider, async () =>
        (await import("./azure/driver.ts")).createAzureDriver({
          ...(opts as AzureDriverOptions),
          ...(extra.azureAuthorityHost ? { authorityHost: extra.azureAuthorityHost } : {}),
        }),
      );
    case "gcp":
      return lazyDriver(provider, async () =>
        (await import("./gcp/driver.ts")).createGcpDriver({
          ...(opts as GcpDriverOptions),
          ...(extra.gcpResourceManagerUrl ? { resourceManagerUrl: extra.gcpResourceManagerUrl } : {}),
        }),
      );
    default:
      throw new Error(`Unknown provider ${String(provider)}`);
  }
}
