// The Azure credential: a service principal's client secret, scoped to one resource group of one
// subscription. Tokens come from Entra ID through @azure/identity; the authority host is
// overridable so the tests' simulator can play Entra ID offline.

import type { TokenCredential } from "@azure/core-auth";
import { ClientSecretCredential } from "@azure/identity";

export interface AzureCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  /** The resource group Claw Cloud creates everything in; the user creates it and scopes the role to it. */
  resourceGroup: string;
}

export function azureTokenCredential(c: AzureCredentials, authorityHost: string): TokenCredential {
  return new ClientSecretCredential(c.tenantId, c.clientId, c.clientSecret, {
    authorityHost,
    // Instance discovery asks login.microsoftonline.com about the authority: not needed for the
    // public cloud's own host, and impossible for a sovereign or test authority.
    disableInstanceDiscovery: true,
    // The SDK's own retries are off everywhere: the worker owns retry policy.
    retryOptions: { maxRetries: 0 },
  });
}
