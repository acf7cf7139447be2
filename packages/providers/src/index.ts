// @clawcloud/providers: the ComputeProviderV1 spec, the drivers, and what the web shows about
// each provider's token.

import { type AwsCredentials, awsGuide, createAwsDriver } from "./aws/index.ts";
import { createDigitalOceanDriver, digitalOceanGuide } from "./digitalocean/driver.ts";
import { createHetznerDriver, hetznerGuide } from "./hetzner/driver.ts";
import type { ComputeProviderV1, DriverOptions, ProviderId } from "./spec.ts";
import { createVultrDriver, vultrGuide } from "./vultr/driver.ts";

export { createDigitalOceanDriver, DIGITALOCEAN_SCOPES, DIGITALOCEAN_USER_DATA_LIMIT } from "./digitalocean/driver.ts";
export { createHetznerDriver, HETZNER_USER_DATA_LIMIT } from "./hetzner/driver.ts";
export * from "./local/index.ts";
export * from "./spec.ts";
export { parsePublicKey } from "./ssh.ts";
export { createVultrDriver, VULTR_ACLS } from "./vultr/driver.ts";
export { type AwsCredentials, awsGuide, createAwsDriver };

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
};

export type TokenCredentials = { token: string };

export interface CredentialsByProvider {
  digitalocean: TokenCredentials;
  hetzner: TokenCredentials;
  vultr: TokenCredentials;
  aws: AwsCredentials;
}

/** The driver for a provider, given that provider's kind of credentials. */
export function createDriver<P extends ProviderId>(provider: P, opts: DriverOptions<CredentialsByProvider[P]>): ComputeProviderV1 {
  switch (provider) {
    case "digitalocean":
      return createDigitalOceanDriver(opts as DriverOptions<TokenCredentials>);
    case "hetzner":
      return createHetznerDriver(opts as DriverOptions<TokenCredentials>);
    case "vultr":
      return createVultrDriver(opts as DriverOptions<TokenCredentials>);
    case "aws":
      return createAwsDriver(opts as DriverOptions<AwsCredentials>);
    default:
      throw new Error(`Unknown provider ${String(provider)}`);
  }
}
