import { type ReactNode, useEffect, useState } from "react";
import { Link, useLocation } from "wouter";
import { flashState, takeFlash } from "../../lib/flash";
import { formatDate, formatDateTime, formatRelative } from "../../lib/format";
import { providerName } from "../../lib/providers";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { FormAlert } from "../../ui/FormAlert";
import { IconArrowLeft } from "../../ui/icons";
import { PageHeader } from "../../ui/PageHeader";
import { EmptyState, ErrorState, LoadingList } from "../../ui/States";
import { type CloudCredential, useCredentials } from "./api";
import { CredentialActions } from "./CredentialActions";
import { CredentialProblem, CredentialStatusBadge } from "./CredentialStatus";
import { DeleteCredentialDialog } from "./DeleteCredentialDialog";
import { EmptyCloudIllustration } from "./EmptyCloudIllustration";
import { ProviderMark } from "./ProviderMark";
import { RegionsAndSizes } from "./RegionsAndSizes";
import { TokenMask } from "./TokenMask";

function Detail({ term, children, wide }: { term: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? "detail detail-wide" : "detail"}>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Moment({ iso, never }: { iso: string | null; never: string }) {
  if (!iso) return <span className="detail-muted">{never}</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
}

function AccountSummary({ credential }: { credential: CloudCredential }) {
  return (
    <section className="card account-summary" aria-label="Account details">
      <dl className="detail-grid">
        <Detail term="Status">
          <CredentialStatusBadge status={credential.status} />
        </Detail>
        <Detail term={credential.provider === "aws" ? "Credential" : "Token"}>
          <TokenMask last4={credential.last4} />
        </Detail>
        <Detail term="Provider account" wide>
          {credential.accountLabel ?? <span className="detail-muted">Not reported by {providerName(credential.provider)}</span>}
        </Detail>
        <Detail term="Last checked">
          <Moment iso={credential.lastVerifiedAt} never="Not yet" />
        </Detail>
        <Detail term="Last used">
          <Moment iso={credential.lastUsedAt} never="Not used yet" />
        </Detail>
        <Detail term="Added">
          <time dateTime={credential.createdAt} title={formatDateTime(credential.createdAt)}>
            {formatDate(credential.createdAt)}
          </time>
        </Detail>
        <Detail term="After a deploy">
          {credential.deleteAfterProvisioning ? "Deleted after the first deploy" : "Kept for future deploys"}
        </Detail>
        <Detail term="Fingerprint" wide>
          <code className="fingerprint">{credential.fingerprint}</code>
        </Detail>
      </dl>
      {credential.scopes && credential.scopes.length > 0 ? (
        <div className="scopes">
          <h2 className="scopes-title">Permissions reported by {providerName(credential.provider)}</h2>
          <ul className="scope-list">
            {credential.scopes.map((s) => (
              <li key={s}>
                <code className="scope">{s}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

export default function CloudAccountPage({ params }: { params: { id: string } }) {
  const credentials = useCredentials();
  const [, navigate] = useLocation();
  const id = decodeURIComponent(params.id);
  const credential = credentials.data?.find((c) => c.id === id);
  const [toDelete, setToDelete] = useState<CloudCredential | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useDocumentTitle(credential ? credential.label : "Cloud account");

  useEffect(() => {
    const message = takeFlash(`credential:${id}`);
    if (message) setNotice(message);
  }, [id]);

  const back = (
    <Link href="/cloud-accounts" className="back-link">
      <IconArrowLeft /> Cloud accounts
    </Link>
  );

  if (credentials.isPending) {
    return (
      <>
        {back}
        <LoadingList label="Loading the cloud account…" rows={2} />
      </>
    );
  }
  if (credentials.isError) {
    return (
      <>
        {back}
        <ErrorState title="We couldn't load this cloud account" error={credentials.error} onRetry={() => void credentials.refetch()} />
      </>
    );
  }
  if (!credential) {
    return (
      <>
        {back}
        <PageHeader title="Cloud account not found" />
        <EmptyState
          illustration={<EmptyCloudIllustration />}
          title="This cloud account isn't here"
          actions={
            <Link href="/cloud-accounts" className="btn btn-primary">
              See your cloud accounts
            </Link>
          }
        >
          <p>It may have been deleted, or it belongs to another workspace.</p>
        </EmptyState>
      </>
    );
  }

  return (
    <>
      {back}
      <PageHeader
        title={credential.label}
        description={
          <span className="account-heading-sub">
            <ProviderMark provider={credential.provider} />
            <span>
              {providerName(credential.provider)}
              {credential.accountLabel ? ` · ${credential.accountLabel}` : ""}
            </span>
          </span>
        }
        actions={<CredentialActions credential={credential} onDelete={setToDelete} size="md" />}
      />
      <div className="page-notice">
        <FormAlert tone="success">{notice}</FormAlert>
      </div>
      <CredentialProblem credential={credential} />
      <AccountSummary credential={credential} />
      <RegionsAndSizes credential={credential} />
      <DeleteCredentialDialog
        credential={toDelete}
        onClose={() => setToDelete(null)}
        onDeleted={(c) => {
          setToDelete(null);
          navigate("/cloud-accounts", {
            replace: true,
            state: flashState("cloud-accounts", `“${c.label}” was deleted. Servers already deployed with it are not affected.`),
          });
        }}
      />
    </>
  );
}
