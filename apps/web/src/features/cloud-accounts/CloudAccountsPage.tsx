import { useEffect, useState } from "react";
import { Link } from "wouter";
import { takeFlash } from "../../lib/flash";
import { formatDateTime, formatRelative } from "../../lib/format";
import { providerName } from "../../lib/providers";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { FormAlert } from "../../ui/FormAlert";
import { IconArrowRight, IconLock, IconPlus } from "../../ui/icons";
import { PageHeader } from "../../ui/PageHeader";
import { EmptyState, ErrorState, LoadingList } from "../../ui/States";
import { type CloudCredential, useCredentials } from "./api";
import { CredentialActions } from "./CredentialActions";
import { CredentialProblem, CredentialStatusBadge } from "./CredentialStatus";
import { DeleteCredentialDialog } from "./DeleteCredentialDialog";
import { EmptyCloudIllustration } from "./EmptyCloudIllustration";
import { ProviderMark } from "./ProviderMark";
import { TokenMask } from "./TokenMask";

const PROVIDERS = ["DigitalOcean", "Hetzner", "Vultr", "AWS"];

function When({ iso, prefix, never }: { iso: string | null; prefix: string; never: string }) {
  if (!iso) return <span>{never}</span>;
  return (
    <span>
      {prefix}{" "}
      <time dateTime={iso} title={formatDateTime(iso)}>
        {formatRelative(iso)}
      </time>
    </span>
  );
}

function CredentialRow({ credential, onDelete }: { credential: CloudCredential; onDelete: (c: CloudCredential) => void }) {
  const name = providerName(credential.provider);
  return (
    <li className={`account-row account-row-${credential.status}`} data-testid="cloud-account">
      <ProviderMark provider={credential.provider} />
      <div className="account-main">
        <div className="account-title-row">
          <Link href={`/cloud-accounts/${encodeURIComponent(credential.id)}`} className="account-title">
            {credential.label}
          </Link>
          <CredentialStatusBadge status={credential.status} />
        </div>
        {/* Non-breaking space before each "·", so a wrapped line never starts with one. */}
        <p className="account-sub">
          {name}
          {credential.accountLabel ? (
            <>
              {"\u00a0· "}
              <span className="account-sub-account">{credential.accountLabel}</span>
            </>
          ) : null}
          {"\u00a0· "}
          <TokenMask last4={credential.last4} />
        </p>
        <p className="account-meta">
          <When iso={credential.lastVerifiedAt} prefix="Checked" never="Not checked yet" />
          <When iso={credential.lastUsedAt} prefix="Last used" never="Not used yet" />
        </p>
      </div>
      <CredentialActions credential={credential} onDelete={onDelete} />
      <CredentialProblem credential={credential} />
    </li>
  );
}

function focusAddButton(): HTMLElement | null {
  return document.querySelector<HTMLElement>("[data-add-account]") ?? document.querySelector<HTMLElement>("[data-page-title]");
}

export default function CloudAccountsPage() {
  useDocumentTitle("Cloud accounts");
  const credentials = useCredentials();
  const [toDelete, setToDelete] = useState<CloudCredential | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // After mount, so the live region announces it.
  useEffect(() => {
    const message = takeFlash("cloud-accounts");
    if (message) setNotice(message);
  }, []);
  const hasItems = (credentials.data?.length ?? 0) > 0;

  const addButton = (
    <Link href="/cloud-accounts/new" className="btn btn-primary" data-add-account>
      <IconPlus /> Add cloud account
    </Link>
  );

  return (
    <>
      <PageHeader
        title="Cloud accounts"
        description="The provider accounts Claw Cloud may create servers in, on your behalf. You pay your provider directly."
        actions={hasItems ? addButton : null}
      />
      <div className="page-notice">
        <FormAlert tone="success">{notice}</FormAlert>
      </div>
      {credentials.isPending ? (
        <LoadingList label="Loading cloud accounts…" />
      ) : credentials.isError ? (
        <ErrorState title="We couldn't load your cloud accounts" error={credentials.error} onRetry={() => void credentials.refetch()} />
      ) : hasItems ? (
        <ul className="card account-list" aria-label="Your cloud accounts">
          {credentials.data.map((c) => (
            <CredentialRow
              key={c.id}
              credential={c}
              onDelete={(credential) => {
                setNotice(null);
                setToDelete(credential);
              }}
            />
          ))}
        </ul>
      ) : (
        <EmptyState
          illustration={<EmptyCloudIllustration />}
          title="No cloud accounts connected"
          actions={
            <Link href="/cloud-accounts/new" className="btn btn-primary btn-lg" data-add-account>
              Add cloud account <IconArrowRight />
            </Link>
          }
        >
          <p>Connect DigitalOcean, Hetzner, Vultr or AWS. Your token is encrypted and only its last 4 characters are ever shown.</p>
          <ul className="chip-row" aria-label="Supported providers">
            {PROVIDERS.map((p) => (
              <li key={p} className="chip">
                {p}
              </li>
            ))}
          </ul>
        </EmptyState>
      )}
      <aside className="notice notice-subtle" aria-label="How we protect your token">
        <IconLock className="notice-icon" />
        <p>
          Tokens are checked with your provider, then encrypted before they are stored. They never leave the server again, and never appear
          in logs.
        </p>
      </aside>
      <DeleteCredentialDialog
        credential={toDelete}
        onClose={() => setToDelete(null)}
        onDeleted={(c) => {
          setToDelete(null);
          setNotice(`“${c.label}” was deleted. Servers already deployed with it are not affected.`);
        }}
        fallbackFocus={focusAddButton}
      />
    </>
  );
}
