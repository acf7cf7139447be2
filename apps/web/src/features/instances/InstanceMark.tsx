import { IconMonitor } from "../../ui/icons";
import { ProviderMark } from "../cloud-accounts/ProviderMark";

/** Where an instance runs, as a tile: the provider's monogram, or a screen for this machine. */
export function InstanceMark({ provider }: { provider: string }) {
  if (provider !== "local") return <ProviderMark provider={provider} />;
  return (
    <span className="provider-mark provider-mark-md provider-local" aria-hidden="true">
      <IconMonitor />
    </span>
  );
}
