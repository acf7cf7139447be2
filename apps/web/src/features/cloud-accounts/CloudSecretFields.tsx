// The credential fields of the clouds whose secret is more than a token: Azure's service principal
// (five values `az ad sp create-for-rbac` and the portal give) and GCP's service account key file.
import { useId } from "react";
import { Field } from "../../ui/Field";
import type { FieldErrors } from "../auth/validation";
import type { AzureInput } from "./validation";

const secretInput = {
  autoComplete: "off",
  autoCapitalize: "off",
  autoCorrect: "off",
  spellCheck: false,
  "data-1p-ignore": "",
  "data-lpignore": "true",
} as const;

const GUID = "00000000-0000-0000-0000-000000000000";

/** What each value is, and where `az ad sp create-for-rbac` (or the portal) shows it. */
const AZURE_FIELDS: { key: keyof AzureInput; label: string; placeholder?: string; hint?: string; secret?: boolean }[] = [
  { key: "tenantId", label: "Tenant (directory) ID", placeholder: GUID, hint: "“tenant” in what az ad sp create-for-rbac printed." },
  { key: "clientId", label: "Client (application) ID", placeholder: GUID, hint: "“appId” in what az ad sp create-for-rbac printed." },
  {
    key: "clientSecret",
    label: "Client secret",
    secret: true,
    hint: "“password” in what az ad sp create-for-rbac printed: the secret's value, not its id.",
  },
  { key: "subscriptionId", label: "Subscription ID", placeholder: GUID },
  {
    key: "resourceGroup",
    label: "Resource group",
    placeholder: "clawcloud",
    hint: "The group the role is assigned on. Every server Claw Cloud makes goes in it.",
  },
];

export function AzureFields({
  value,
  onChange,
  errors,
}: {
  value: AzureInput;
  onChange: (key: keyof AzureInput) => (v: string) => void;
  errors: FieldErrors;
}) {
  return (
    <>
      {AZURE_FIELDS.map((f) => (
        <Field
          key={f.key}
          label={f.label}
          name={f.key}
          {...secretInput}
          {...(f.secret ? { type: "password", revealable: true } : {})}
          placeholder={f.placeholder}
          value={value[f.key]}
          onValueChange={onChange(f.key)}
          error={errors[f.key]}
          hint={f.hint}
        />
      ))}
    </>
  );
}

/** A textarea for the pasted key file; it is a secret, so no spellcheck or autofill. */
export function GcpKeyField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error: string | undefined }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <div className="field-label-row">
        <label htmlFor={id} className="field-label">
          Service account key (JSON)
        </label>
      </div>
      <div className="field-control">
        <textarea
          id={id}
          name="gcpKey"
          className="input input-textarea"
          rows={6}
          {...secretInput}
          placeholder='{ "type": "service_account", "project_id": … }'
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={[hintId, error ? errorId : null].filter(Boolean).join(" ")}
        />
      </div>
      <p id={hintId} className="field-hint">
        The whole key.json file. Only the key's id is kept in view; the private key is stored encrypted.
      </p>
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
