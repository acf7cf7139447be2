import { formatDate } from "../../lib/format";
import { providerMonogram, providerName } from "../../lib/providers";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { IconLock } from "../../ui/icons";
import { PageHeader } from "../../ui/PageHeader";
import { EmptyState, ErrorState, LoadingList } from "../../ui/States";
import { type CloudCredential, useCredentials } from "./api";
import { EmptyCloudIllustration } from "./EmptyCloudIllustration";

const PROVIDERS = ["DigitalOcean", "Hetzner", "Vultr", "AWS"];

function CredentialList({ items }: { items: CloudCredential[] }) {
  return (
    <ul className="card list">
      {items.map((c) => (
        <li key={c.id} className="list-row">
          <span className="provider-chip" aria-hidden="true">
            {providerMonogram(c.provider)}
          </span>
          <div className="list-main">
            <p className="cell-primary">{c.label}</p>
            <p className="cell-secondary">
              {providerName(c.provider)} · Added <time dateTime={c.createdAt}>{formatDate(c.createdAt)}</time>
            </p>
          </div>
          <span className="token-mask">
            <span className="visually-hidden">Token ending in </span>
            <span aria-hidden="true">••••</span>
            {c.last4}
          </span>
        </li>
      ))}
    </ul>
  );
}

export default function CloudAccountsPage() {
  useDocumentTitle("Cloud accounts");
  const credentials = useCredentials();

  return (
    <>
      <PageHeader title="Cloud accounts" description="The provider accounts Claw Cloud may create servers in, on your behalf." />
      {credentials.isPending ? (
        <LoadingList label="Loading cloud accounts…" />
      ) : credentials.isError ? (
        <ErrorState title="We couldn't load your cloud accounts" error={credentials.error} onRetry={() => void credentials.refetch()} />
      ) : credentials.data.length > 0 ? (
        <CredentialList items={credentials.data} />
      ) : (
        <EmptyState illustration={<EmptyCloudIllustration />} title="No cloud accounts connected">
          <p>Connect DigitalOcean, Hetzner, Vultr or AWS. Your token is encrypted and only its last 4 characters are ever shown.</p>
          <ul className="chip-row" aria-label="Supported providers">
            {PROVIDERS.map((p) => (
              <li key={p} className="chip">
                {p}
              </li>
            ))}
          </ul>
          <p className="coming-soon">
            <span className="pill">Next release</span> Connecting an account arrives with the deploy wizard. Until then, you can deploy to
            this machine.
          </p>
        </EmptyState>
      )}
      <aside className="notice notice-subtle" aria-label="How we protect your token">
        <IconLock className="notice-icon" />
        <p>
          Tokens are checked with your provider, then encrypted before they are stored. They never leave the server again, and never appear
          in logs.
        </p>
      </aside>
    </>
  );
}
