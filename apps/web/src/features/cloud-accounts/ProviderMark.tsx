import { providerMonogram } from "../../lib/providers";

/** A provider's tile: its monogram on its brand colour (no third-party logos are shipped). */
export function ProviderMark({ provider, size = "md" }: { provider: string; size?: "md" | "lg" }) {
  return (
    <span className={`provider-mark provider-mark-${size} provider-${provider}`} aria-hidden="true">
      {providerMonogram(provider)}
    </span>
  );
}
