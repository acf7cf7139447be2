import { useId, useMemo, useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatGigabytes, formatMemory, formatMoney } from "../../lib/format";
import { providerName } from "../../lib/providers";
import { Spinner } from "../../ui/Spinner";
import type { CloudCredential, Region, Size } from "../cloud-accounts/api";
import { bySize, MIN_MEMORY_MB, offeredIn, vcpuLabel } from "../cloud-accounts/sizing";
import { recommendedSize } from "./draft";

const INITIAL_SIZES = 8;

function Problem({ what, error, onRetry }: { what: string; error: unknown; onRetry: () => void }) {
  return (
    <div className="target-state target-state-error" role="alert">
      <p>
        <strong>We couldn't load the {what}.</strong> {errorMessage(error)}
      </p>
      <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

function SizeOption({
  size,
  name,
  checked,
  recommended,
  onChange,
  describedBy,
}: {
  size: Size;
  name: string;
  checked: boolean;
  recommended: boolean;
  onChange: (id: string) => void;
  describedBy: string | undefined;
}) {
  const reasonId = useId();
  const small = size.memoryMb < MIN_MEMORY_MB;
  const ids = [small ? reasonId : null, describedBy].filter(Boolean).join(" ") || undefined;
  return (
    <label className={`size-option${small ? " size-option-small" : ""}${recommended ? " size-option-recommended" : ""}`}>
      <input
        type="radio"
        name={name}
        value={size.id}
        checked={checked}
        disabled={small}
        onChange={() => onChange(size.id)}
        aria-describedby={ids}
      />
      <span className="size-face">
        <span className="choice-radio" aria-hidden="true" />
        <span className="size-main">
          <span className="size-title">
            <code className="size-id">{size.id}</code>
            {recommended ? <span className="badge badge-progress">Recommended</span> : null}
          </span>
          <span className="size-specs">
            {vcpuLabel(size.vcpus)} · {formatMemory(size.memoryMb)} RAM · {formatGigabytes(size.diskGb)} disk
          </span>
          {small ? (
            <span id={reasonId} className="size-reason">
              Too small: OpenClaw needs at least 2 GB
            </span>
          ) : null}
        </span>
        <span className="size-price">
          <span className="price">{formatMoney(size.priceMonthlyCents, size.currency)}</span>
          <span className="size-per">/month</span>
        </span>
      </span>
    </label>
  );
}

export function SizeStep({
  credential,
  regions,
  sizes,
  region,
  size,
  onRegion,
  onSize,
  errors,
  errorIds,
}: {
  credential: CloudCredential;
  regions: { data: Region[] | undefined; error: unknown; retry: () => void };
  sizes: { data: Size[] | undefined; error: unknown; retry: () => void };
  region: string;
  size: string;
  onRegion: (id: string) => void;
  onSize: (id: string) => void;
  errors: { region?: string | undefined; size?: string | undefined };
  errorIds: { region: string; size: string };
}) {
  const regionId = useId();
  const hintId = useId();
  const sizeName = useId();
  const sizeHintId = useId();
  const [showAll, setShowAll] = useState(false);
  const provider = providerName(credential.provider);

  const sorted = useMemo(() => [...(sizes.data ?? [])].sort(bySize), [sizes.data]);
  const inRegion = region ? sorted.filter((s) => offeredIn(s, region)) : [];
  const suitable = inRegion.filter((s) => s.memoryMb >= MIN_MEMORY_MB);
  const small = inRegion.filter((s) => s.memoryMb < MIN_MEMORY_MB);
  const elsewhere = region ? sorted.length - inRegion.length : 0;
  // The first few, and always the chosen one.
  const shown = showAll ? suitable : suitable.filter((s, i) => i < INITIAL_SIZES || s.id === size);
  const more = suitable.length - shown.length;
  const recommended = region && sizes.data ? recommendedSize(sizes.data, region)?.id : undefined;
  const regionOptions = [...(regions.data ?? [])].sort((a, b) => Number(b.available) - Number(a.available));
  const regionName = regions.data?.find((r) => r.id === region)?.name ?? region;
  const sizeDescribedBy = [sizeHintId, errors.size ? errorIds.size : null].filter(Boolean).join(" ");

  return (
    <div className="deploy-fieldset">
      <div className={`field region-field${errors.region ? " field-invalid" : ""}`}>
        <label htmlFor={regionId} className="field-label">
          Region
        </label>
        {regions.error ? (
          <Problem what="regions" error={regions.error} onRetry={regions.retry} />
        ) : regions.data === undefined ? (
          <p className="target-state" role="status">
            <Spinner /> Loading regions from {provider}…
          </p>
        ) : (
          <select
            id={regionId}
            name="region"
            className="select select-block"
            value={region}
            onChange={(e) => onRegion(e.target.value)}
            aria-invalid={errors.region ? true : undefined}
            aria-describedby={[hintId, errors.region ? errorIds.region : null].filter(Boolean).join(" ")}
          >
            <option value="">Choose a region…</option>
            {regionOptions.map((r) => (
              <option key={r.id} value={r.id} disabled={!r.available}>
                {r.name}
                {r.location && r.location !== r.name ? ` — ${r.location}` : ""}
                {r.available ? "" : " (unavailable)"}
              </option>
            ))}
          </select>
        )}
        <p id={hintId} className="field-hint">
          Close to you and the people who talk to your assistant is best.
        </p>
        {errors.region ? (
          <p id={errorIds.region} className="field-error">
            {errors.region}
          </p>
        ) : null}
      </div>

      <fieldset className="size-fieldset" aria-describedby={sizeDescribedBy}>
        <legend className="field-label size-legend">Size</legend>
        <p id={sizeHintId} className="field-hint size-hint">
          OpenClaw needs at least 2 GB of memory; 4 GB is recommended. Prices are {provider}'s, billed by {provider} to your account.
        </p>
        {sizes.error ? (
          <Problem what="sizes" error={sizes.error} onRetry={sizes.retry} />
        ) : sizes.data === undefined ? (
          <p className="target-state" role="status">
            <Spinner /> Loading sizes and prices from {provider}…
          </p>
        ) : !region ? (
          <p className="size-placeholder">Choose a region to see the sizes offered there.</p>
        ) : inRegion.length === 0 ? (
          <p className="size-placeholder">No size is offered in {regionName}. Choose another region.</p>
        ) : (
          <>
            <div className="size-options">
              {shown.map((s) => (
                <SizeOption
                  key={s.id}
                  size={s}
                  name={sizeName}
                  checked={size === s.id}
                  recommended={s.id === recommended}
                  onChange={onSize}
                  describedBy={errors.size ? errorIds.size : undefined}
                />
              ))}
            </div>
            {more > 0 || showAll ? (
              <button
                type="button"
                className="btn btn-ghost btn-sm size-more"
                onClick={() => setShowAll((v) => !v)}
                aria-expanded={showAll}
              >
                {showAll ? "Show fewer sizes" : `Show ${more} more size${more === 1 ? "" : "s"}`}
              </button>
            ) : null}
            {small.length > 0 ? (
              <div className="size-small-group">
                <p className="size-small-title">Too small for OpenClaw</p>
                <div className="size-options">
                  {small.map((s) => (
                    <SizeOption
                      key={s.id}
                      size={s}
                      name={sizeName}
                      checked={false}
                      recommended={false}
                      onChange={onSize}
                      describedBy={undefined}
                    />
                  ))}
                </div>
              </div>
            ) : null}
            {elsewhere > 0 ? (
              <p className="size-elsewhere">
                {elsewhere} other size{elsewhere === 1 ? " is" : "s are"} not offered in {regionName}.
              </p>
            ) : null}
          </>
        )}
        {errors.size ? (
          <p id={errorIds.size} className="field-error">
            {errors.size}
          </p>
        ) : null}
      </fieldset>
    </div>
  );
}
