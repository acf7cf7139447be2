// Turns a stored secret into a driver. Endpoints can be overridden per provider (tests run the
// provider simulators; compatible clouds have their own URL). A stored credential's driver sends
// its requests through that credential's token bucket (rate-limit.ts).
import type { AwsSecret, AzureSecret, GcpSecret, Provider } from "@clawcloud/contracts";
import { type ComputeProviderV1, createDriver } from "@clawcloud/providers";
import { CredentialRateLimiter } from "./rate-limit.ts";

export type ProviderEndpoints = Partial<Record<Provider, string>> & {
  /** Azure's Entra ID (login) host, and GCP's Cloud Resource Manager: the clouds' second endpoints. */
  azureLogin?: string;
  gcpResourceManager?: string;
};

/** A stored secret: a token, or the structured credential of AWS, Azure or GCP. */
export type ProviderSecret = string | AwsSecret | AzureSecret | GcpSecret;

/** `credentialId`: the stored credential the driver acts for, whose rate limit it shares; none for a
 * secret not stored yet (checked once before it is saved). */
export type DriverFactory = (provider: Provider, secret: ProviderSecret, credentialId?: string) => ComputeProviderV1;

export interface DriverFactoryOptions {
  /** The per-credential limiter (default: one in this process, on the real clock); false: none. */
  rateLimiter?: CredentialRateLimiter | false;
  /** The fetch under the limiter (tests, fault injection). Default: the global fetch. */
  fetch?: typeof fetch;
  /** The drivers' request timeout in ms (default theirs, 30 s). */
  timeoutMs?: number;
}

export function driverFactory(endpoints: ProviderEndpoints, o: DriverFactoryOptions = {}): DriverFactory {
  const limiter = o.rateLimiter ?? new CredentialRateLimiter();
  return (provider, secret, credentialId) => {
    const baseUrl = endpoints[provider];
    const inner = o.fetch ?? globalThis.fetch;
    const common = {
      fetch: limiter && credentialId ? limiter.wrapFetch(credentialId, provider, inner) : inner,
      ...(baseUrl ? { baseUrl } : {}),
      ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    };
    if (provider === "aws") {
      const s = secret as AwsSecret;
      const credentials =
        "accessKeyId" in s
          ? { kind: "keys" as const, accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, region: s.region }
          : { kind: "role" as const, roleArn: s.roleArn, externalId: s.externalId, region: s.region };
      return createDriver("aws", { credentials, ...common });
    }
    if (provider === "azure") {
      const extra = endpoints.azureLogin ? { azureAuthorityHost: endpoints.azureLogin } : {};
      return createDriver("azure", { credentials: secret as AzureSecret, ...common }, extra);
    }
    if (provider === "gcp") {
      const extra = endpoints.gcpResourceManager ? { gcpResourceManagerUrl: endpoints.gcpResourceManager } : {};
      return createDriver("gcp", { credentials: secret as GcpSecret, ...common }, extra);
    }
    return createDriver(provider, { credentials: { token: secret as string }, ...common });
  };
}

/** What people see of a secret: never more than its last 4 characters. */
export function lastFour(secret: ProviderSecret): string {
  const visible =
    typeof secret === "string"
      ? secret
      : "accessKeyId" in secret
        ? secret.accessKeyId
        : "roleArn" in secret
          ? secret.roleArn
          : "clientId" in secret
            ? secret.clientId
            : secret.private_key_id;
  return visible.slice(-4);
}
