// A driver's ProviderError in the API's vocabulary. The driver's message is already safe to show
// (it never holds the credential); here it gets the status a person can act on.
import { ProviderError } from "@clawcloud/providers";
import { AppError } from "../errors.ts";

const providerNames = {
  digitalocean: "DigitalOcean",
  hetzner: "Hetzner Cloud",
  vultr: "Vultr",
  aws: "AWS",
  azure: "Azure",
  gcp: "Google Cloud",
} as const;

export function toAppError(err: unknown): unknown {
  if (!(err instanceof ProviderError)) return err;
  const name = providerNames[err.provider];
  switch (err.kind) {
    case "unauthorized":
      return new AppError("CREDENTIAL_INVALID", err.message || `${name} refused this credential: it is invalid, expired or revoked.`);
    case "forbidden":
      return new AppError("CREDENTIAL_INSUFFICIENT", err.message || `${name} says this credential lacks a permission Claw Cloud needs.`);
    case "rate_limited":
      return new AppError("RATE_LIMITED", `${name} is rate-limiting this account. Try again in ${err.retryAfter ?? 60} seconds.`, {
        headers: { "retry-after": String(err.retryAfter ?? 60) },
      });
    case "unavailable":
    case "unknown":
      return new AppError("PROVIDER_UNAVAILABLE", `${name} did not answer properly (${err.message}). Try again in a minute.`);
    default:
      return new AppError("VALIDATION_FAILED", err.message);
  }
}
