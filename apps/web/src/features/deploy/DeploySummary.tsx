import type { ReactNode } from "react";
import { formatGigabytes, formatMemory, formatMoney } from "../../lib/format";
import { providerName } from "../../lib/providers";
import { IconMonitor } from "../../ui/icons";
import type { CloudCredential, Region, Size } from "../cloud-accounts/api";
import { ProviderMark } from "../cloud-accounts/ProviderMark";
import { vcpuLabel } from "../cloud-accounts/sizing";
import { type Draft, LOCAL } from "./draft";

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="summary-row">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const NOT_YET = <span className="summary-empty">Not chosen yet</span>;

/** What will be deployed, and what it costs each month. */
export function DeploySummary({
  draft,
  name,
  credential,
  region,
  size,
  className = "",
}: {
  draft: Draft;
  name: string;
  credential: CloudCredential | undefined;
  region: Region | undefined;
  size: Size | undefined;
  className?: string;
}) {
  const local = draft.target === LOCAL;
  const provider = credential ? providerName(credential.provider) : null;
  return (
    <section className={`card deploy-summary ${className}`} aria-labelledby="summary-title" data-testid="deploy-summary">
      <h2 id="summary-title" className="summary-title">
        Summary
      </h2>
      <dl className="summary-list">
        <Row term="Name">{name.trim() || NOT_YET}</Row>
        <Row term="Where">
          {local ? (
            <span className="summary-where">
              <IconMonitor className="summary-where-icon" /> This machine
            </span>
          ) : credential ? (
            <span className="summary-where">
              <ProviderMark provider={credential.provider} />
              <span>
                {provider} · {credential.label}
              </span>
            </span>
          ) : (
            NOT_YET
          )}
        </Row>
        {local ? null : (
          <>
            <Row term="Region">{region ? region.name : draft.region || NOT_YET}</Row>
            <Row term="Size">
              {size ? (
                <>
                  <code className="size-id">{size.id}</code>
                  <span className="summary-sub">
                    {vcpuLabel(size.vcpus)} · {formatMemory(size.memoryMb)} RAM · {formatGigabytes(size.diskGb)} disk
                  </span>
                </>
              ) : (
                draft.size || NOT_YET
              )}
            </Row>
          </>
        )}
        <Row term="OpenClaw">{draft.version === "exact" ? draft.exactVersion.trim() || NOT_YET : "Current stable"}</Row>
      </dl>
      <div className="summary-price">
        {local ? (
          <>
            <p className="summary-amount">Free</p>
            <p className="summary-note">Runs on the machine that runs Claw Cloud.</p>
          </>
        ) : size ? (
          <>
            <p className="summary-amount">
              {formatMoney(size.priceMonthlyCents, size.currency)}
              <span className="summary-per"> / month</span>
            </p>
            <p className="summary-note">Billed by {provider} to your account, while the server exists.</p>
          </>
        ) : (
          <p className="summary-note">The monthly price shows once you choose a size.</p>
        )}
        {credential?.deleteAfterProvisioning ? (
          <p className="summary-note">Claw Cloud forgets this account's token once the server is created.</p>
        ) : null}
      </div>
    </section>
  );
}
