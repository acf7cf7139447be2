// Turns a stored secret into a driver. Endpoints can be overridden per provider (tests run the
// provider simulators; compatible clouds have their own URL).
import type { AwsSecret, Provider } from "@clawcloud/contracts";
import { type ComputeProviderV1, createDriver } from "@clawcloud/providers";

export type ProviderEndpoints = Partial<Record<Provider, string>>;

export type DriverFactory = (provider: Provider, secret: string | AwsSecret) => ComputeProviderV1;

export function driverFactory(endpoints: ProviderEndpoints): DriverFactory {
  return (provider, secret) => {
    const baseUrl = endpoints[provider];
    if (provider === "aws") {
      const s = secret as AwsSecret;
      const credentials =
        "accessKeyId" in s
          ? { kind: "keys" as const, accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, region: s.region }
          : { kind: "role" as const, roleArn: s.roleArn, externalId: s.externalId, region: s.region };
      return createDriver("aws", { credentials, ...(baseUrl ? { baseUrl } : {}) });
    }
    return createDriver(provider, { credentials: { token: secret as string }, ...(baseUrl ? { baseUrl } : {}) });
  };
}

/** What people see of a secret: never more than its last 4 characters. */
export function lastFour(secret: string | AwsSecret): string {
  const visible = typeof secret === "string" ? secret : "accessKeyId" in secret ? secret.accessKeyId : secret.roleArn;
  return visible.slice(-4);
}
