import { useId } from "react";
import { providerName } from "../../lib/providers";
import { Field } from "../../ui/Field";
import type { CloudCredential } from "../cloud-accounts/api";
import { type Draft, NAME_MAX } from "./draft";

export function DetailsStep({
  draft,
  name,
  onName,
  onChange,
  credential,
  errors,
}: {
  draft: Draft;
  name: string;
  onName: (name: string) => void;
  onChange: (patch: Partial<Draft>) => void;
  credential: CloudCredential | undefined;
  errors: { name?: string | undefined; openclawVersion?: string | undefined };
}) {
  const versionName = useId();
  const keepId = useId();
  const provider = credential ? providerName(credential.provider) : null;

  return (
    <div className="deploy-fieldset details-fields">
      <Field
        label="Name"
        name="name"
        autoComplete="off"
        spellCheck={false}
        maxLength={NAME_MAX}
        value={name}
        onValueChange={onName}
        error={errors.name}
        hint="Only you see it. Letters, digits, spaces, dots, dashes and underscores."
      />

      <fieldset className="segmented segmented-2 version-field">
        <legend className="segmented-legend">OpenClaw version</legend>
        <div className="segmented-options">
          <label className="segmented-option">
            <input
              type="radio"
              name={versionName}
              value="stable"
              checked={draft.version === "stable"}
              onChange={() => onChange({ version: "stable" })}
            />
            <span className="segmented-face">Current stable</span>
          </label>
          <label className="segmented-option">
            <input
              type="radio"
              name={versionName}
              value="exact"
              checked={draft.version === "exact"}
              onChange={() => onChange({ version: "exact" })}
            />
            <span className="segmented-face">Exact version</span>
          </label>
        </div>
      </fieldset>
      {draft.version === "exact" ? (
        <Field
          label="Version number"
          name="openclawVersion"
          autoComplete="off"
          spellCheck={false}
          inputMode="decimal"
          placeholder="2026.9.6"
          value={draft.exactVersion}
          onValueChange={(v) => onChange({ exactVersion: v })}
          error={errors.openclawVersion}
          hint="OpenClaw numbers its releases by date: year.month.day."
        />
      ) : (
        <p className="field-hint version-hint">The latest stable release when the server installs it. You can update later.</p>
      )}

      {credential ? (
        <div className="checkbox-field">
          <input
            id={keepId}
            type="checkbox"
            name="keepOnFailure"
            checked={draft.keepOnFailure}
            onChange={(e) => onChange({ keepOnFailure: e.target.checked })}
            aria-describedby={`${keepId}-hint`}
          />
          <div>
            <label htmlFor={keepId} className="field-label">
              Keep the server if the deploy fails, for inspection
            </label>
            <p id={`${keepId}-hint`} className="field-hint">
              Normally a failed deploy's server is deleted at once, so it costs nothing. Kept, it stays in your {provider} account until you
              delete it.
            </p>
          </div>
        </div>
      ) : null}
    </div>
  );
}
