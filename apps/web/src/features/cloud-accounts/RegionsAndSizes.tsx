import { useId, useMemo, useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatGigabytes, formatMemory, formatMoney } from "../../lib/format";
import { providerName } from "../../lib/providers";
import { Spinner } from "../../ui/Spinner";
import { type CloudCredential, type Region, type Size, useRegions, useSizes } from "./api";
import { bySize, offeredIn, sizeFit, vcpuLabel } from "./sizing";

const INITIAL_ROWS = 12;

function Problem({ title, error, onRetry }: { title: string; error: unknown; onRetry: () => void }) {
  return (
    <div className="catalog-state catalog-state-error" role="alert">
      <p>
        <strong>{title}</strong> {errorMessage(error)}
      </p>
      <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

function Loading({ label }: { label: string }) {
  return (
    <p className="catalog-state" role="status" aria-live="polite">
      <Spinner /> {label}
    </p>
  );
}

function RegionList({ regions }: { regions: Region[] }) {
  const available = regions.filter((r) => r.available).length;
  return (
    <>
      <p className="catalog-summary">
        {available} of {regions.length} region{regions.length === 1 ? "" : "s"} open for new servers
      </p>
      <ul className="region-list">
        {regions.map((r) => (
          <li key={r.id} className={r.available ? "region" : "region region-unavailable"}>
            <span className="region-name">{r.name}</span>
            <span className="region-meta">
              {r.location ? `${r.location} · ` : ""}
              <code>{r.id}</code>
              {r.available ? null : " · unavailable"}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

function SizeTable({ sizes, regions }: { sizes: Size[]; regions: Region[] | undefined }) {
  const selectId = useId();
  const [region, setRegion] = useState("");
  const [showAll, setShowAll] = useState(false);
  const sorted = useMemo(() => [...sizes].sort(bySize), [sizes]);
  const inRegion = region ? sorted.filter((s) => offeredIn(s, region)) : sorted;
  const visible = showAll ? inRegion : inRegion.slice(0, INITIAL_ROWS);
  const hidden = inRegion.length - visible.length;
  const regionOptions = (regions ?? []).filter((r) => r.available);

  return (
    <>
      <div className="catalog-toolbar">
        <p className="catalog-summary" role="status" aria-live="polite">
          {inRegion.length} size{inRegion.length === 1 ? "" : "s"}
          {region ? ` in ${regionOptions.find((r) => r.id === region)?.name ?? region}` : ""}, smallest first
        </p>
        {regionOptions.length > 1 ? (
          <div className="select-field">
            <label htmlFor={selectId} className="field-label">
              Region
            </label>
            <select id={selectId} className="select" value={region} onChange={(e) => setRegion(e.target.value)}>
              <option value="">All regions</option>
              {regionOptions.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      {inRegion.length === 0 ? (
        <p className="catalog-state">No size is offered in this region.</p>
      ) : (
        <div className="table-scroll">
          <table className="table size-table">
            <caption className="visually-hidden">Server sizes and monthly prices</caption>
            <thead>
              <tr>
                <th scope="col">Size</th>
                <th scope="col">CPU</th>
                <th scope="col">Memory</th>
                <th scope="col">Disk</th>
                <th scope="col" className="num">
                  Price / month
                </th>
                <th scope="col">For OpenClaw</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((s) => {
                const f = sizeFit(s);
                return (
                  <tr key={s.id} className={`size-row size-row-${f}`}>
                    <th scope="row" data-label="Size">
                      <code className="size-id">{s.id}</code>
                    </th>
                    <td data-label="CPU">{vcpuLabel(s.vcpus)}</td>
                    <td data-label="Memory">
                      {formatMemory(s.memoryMb)}
                      <span className="size-unit"> RAM</span>
                    </td>
                    <td data-label="Disk">
                      {formatGigabytes(s.diskGb)}
                      <span className="size-unit"> disk</span>
                    </td>
                    <td data-label="Price / month" className="num">
                      <span className="price">{formatMoney(s.priceMonthlyCents, s.currency)}</span>
                    </td>
                    <td data-label="For OpenClaw">
                      {f === "small" ? (
                        <span className="size-note">Too small: OpenClaw needs at least 2 GB</span>
                      ) : f === "recommended" ? (
                        <span className="badge badge-progress">Recommended</span>
                      ) : (
                        <span className="size-note-ok">Suitable</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {hidden > 0 || showAll ? (
        <div className="catalog-more">
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setShowAll((v) => !v)} aria-expanded={showAll}>
            {showAll ? "Show fewer sizes" : `Show all ${inRegion.length} sizes`}
          </button>
        </div>
      ) : null}
    </>
  );
}

/** What this account can deploy: its regions, and its sizes with monthly prices and sizing advice. */
export function RegionsAndSizes({ credential }: { credential: CloudCredential }) {
  const usable = credential.status !== "invalid";
  const regions = useRegions(credential.id, usable);
  const sizes = useSizes(credential.id, usable);
  const name = providerName(credential.provider);

  return (
    <section className="catalog" aria-labelledby="catalog-title">
      <div className="section-head">
        <h2 id="catalog-title" className="section-heading">
          Regions and sizes from this account
        </h2>
        <p className="section-description">
          What {name} offers this account right now, at {name}'s prices. You choose from these when you deploy. OpenClaw needs at least 2 GB
          of memory; 4 GB is recommended.
        </p>
      </div>
      {!usable ? (
        <div className="card catalog-card">
          <p className="catalog-state">Regions and sizes appear once the account is verified again.</p>
        </div>
      ) : (
        <div className="catalog-grid">
          <section className="card catalog-card" aria-labelledby="regions-title">
            <h3 id="regions-title" className="catalog-title">
              Regions
            </h3>
            {regions.isPending ? (
              <Loading label={`Loading regions from ${name}…`} />
            ) : regions.isError ? (
              <Problem title="We couldn't load the regions." error={regions.error} onRetry={() => void regions.refetch()} />
            ) : regions.data.length === 0 ? (
              <p className="catalog-state">{name} lists no regions for this account.</p>
            ) : (
              <RegionList regions={regions.data} />
            )}
          </section>
          <section className="card catalog-card catalog-card-wide" aria-labelledby="sizes-title">
            <h3 id="sizes-title" className="catalog-title">
              Sizes
            </h3>
            {sizes.isPending ? (
              <Loading label={`Loading sizes and prices from ${name}…`} />
            ) : sizes.isError ? (
              <Problem title="We couldn't load the sizes." error={sizes.error} onRetry={() => void sizes.refetch()} />
            ) : sizes.data.length === 0 ? (
              <p className="catalog-state">{name} lists no sizes for this account.</p>
            ) : (
              <SizeTable sizes={sizes.data} regions={regions.data} />
            )}
          </section>
        </div>
      )}
    </section>
  );
}
