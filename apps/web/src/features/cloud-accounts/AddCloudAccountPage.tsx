import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { ApiError, errorMessage } from "../../lib/api";
import { flashState } from "../../lib/flash";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { Field } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { IconArrowLeft, IconLock } from "../../ui/icons";
import { PageHeader } from "../../ui/PageHeader";
import { ErrorState, LoadingList } from "../../ui/States";
import { SubmitButton } from "../../ui/SubmitButton";
import { type FieldErrors, hasErrors } from "../auth/validation";
import { type CreateCredentialInput, type ProviderGuide, type ProviderId, useAwsSetup, useCreateCredential, useProviders } from "./api";
import { AzureFields, GcpKeyField } from "./CloudSecretFields";
import { ProviderGuidePanel } from "./ProviderGuidePanel";
import { ProviderMark } from "./ProviderMark";
import {
  type AzureInput,
  LABEL_MAX,
  parseGcpKey,
  validateAwsKeys,
  validateAwsRegion,
  validateAwsRole,
  validateAzure,
  validateLabel,
  validateToken,
} from "./validation";

const TAGLINES: Record<string, string> = {
  digitalocean: "Droplets, simple pricing",
  hetzner: "Low prices, EU and US",
  vultr: "Many regions worldwide",
  aws: "EC2, via an IAM role",
  azure: "VMs in one resource group",
  gcp: "Compute Engine, service account",
};

const NO_AZURE: AzureInput = { tenantId: "", clientId: "", clientSecret: "", subscriptionId: "", resourceGroup: "" };

type AwsMode = "role" | "keys";

function ProviderPicker({
  providers,
  value,
  onChange,
  disabled,
}: {
  providers: ProviderGuide[];
  value: ProviderId;
  onChange: (id: ProviderId) => void;
  disabled: boolean;
}) {
  const name = useId();
  return (
    <fieldset className="card form-step" disabled={disabled}>
      <legend className="form-step-title form-step-legend">
        <span className="form-step-number" aria-hidden="true">
          1
        </span>
        Choose your provider
      </legend>
      <div className="provider-options">
        {providers.map((p) => (
          <label key={p.id} className="provider-option">
            <input type="radio" name={name} value={p.id} checked={value === p.id} onChange={() => onChange(p.id)} />
            <span className="provider-option-face">
              <ProviderMark provider={p.id} />
              <span className="provider-option-text">
                <span className="provider-option-name">{p.name}</span>
                {TAGLINES[p.id] ? <span className="provider-option-tagline">{TAGLINES[p.id]}</span> : null}
              </span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function AwsModeSwitch({ value, onChange }: { value: AwsMode; onChange: (mode: AwsMode) => void }) {
  const name = useId();
  const options: { value: AwsMode; label: string }[] = [
    { value: "role", label: "IAM role (recommended)" },
    { value: "keys", label: "Access keys" },
  ];
  return (
    <fieldset className="segmented segmented-2">
      <legend className="segmented-legend">How Claw Cloud signs in</legend>
      <div className="segmented-options">
        {options.map((o) => (
          <label key={o.value} className="segmented-option">
            <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
            <span className="segmented-face">{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function AddAccountForm({ providers, initial }: { providers: ProviderGuide[]; initial: ProviderId }) {
  const [, navigate] = useLocation();
  const [provider, setProvider] = useState<ProviderId>(initial);
  const [label, setLabel] = useState("");
  const [labelEdited, setLabelEdited] = useState(false);
  const [token, setToken] = useState("");
  const [awsMode, setAwsMode] = useState<AwsMode>("role");
  const [roleArn, setRoleArn] = useState("");
  const awsSetup = useAwsSetup(provider === "aws");
  const externalId = awsSetup.data?.externalId ?? "";
  const [accessKeyId, setAccessKeyId] = useState("");
  const [secretAccessKey, setSecretAccessKey] = useState("");
  const [region, setRegion] = useState("");
  const [azure, setAzure] = useState<AzureInput>(NO_AZURE);
  const [gcpKey, setGcpKey] = useState("");
  const [deleteAfter, setDeleteAfter] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const formRef = useRef<HTMLFormElement>(null);
  const guideHeadingId = useId();
  const fieldsHeadingId = useId();
  const deleteHintId = useId();

  // The request body lives here only between submit and the request going out.
  const outgoing = useRef<CreateCredentialInput | null>(null);
  const create = useCreateCredential(() => {
    const body = outgoing.current;
    outgoing.current = null;
    return body;
  });

  const focusAfterError = useRef<string | null>(null);
  useEffect(() => {
    if (!create.isError || !focusAfterError.current) return;
    focusField(focusAfterError.current);
    focusAfterError.current = null;
  });

  const guide = providers.find((p) => p.id === provider) ?? providers[0];
  if (!guide) return null;
  const effectiveLabel = labelEdited ? label : guide.name;
  const kind = guide.secretKind;
  const isAws = kind === "aws";

  function focusField(name: string) {
    const element = formRef.current?.elements.namedItem(name);
    if (element instanceof HTMLElement) element.focus();
  }

  function clearSecrets() {
    setToken("");
    setSecretAccessKey("");
    setAccessKeyId("");
    setAzure((a) => ({ ...a, clientSecret: "" }));
    setGcpKey("");
  }

  function edit(setter: (v: string) => void, key: string) {
    return (value: string) => {
      setter(value);
      setErrors((e) => (e[key] ? { ...e, [key]: undefined } : e));
      if (create.isError) create.reset();
    };
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (create.isPending || !guide) return;
    const next: FieldErrors = { label: validateLabel(effectiveLabel) };
    const parsedKey = kind === "gcp" ? parseGcpKey(gcpKey) : undefined;
    if (kind === "token") next.secret = validateToken(token, guide.name);
    else if (kind === "azure") Object.assign(next, validateAzure(azure));
    else if (parsedKey) next.gcpKey = "error" in parsedKey ? parsedKey.error : undefined;
    else if (awsMode === "role") Object.assign(next, validateAwsRole(roleArn, externalId));
    else Object.assign(next, validateAwsKeys(accessKeyId, secretAccessKey));
    if (isAws) next.region = validateAwsRegion(region);
    setErrors(next);
    if (hasErrors(next)) {
      const first = Object.keys(next).find((k) => next[k]);
      if (first) focusField(first);
      return;
    }

    const awsRegion = region.trim() ? { region: region.trim() } : {};
    outgoing.current = {
      provider: guide.id,
      label: effectiveLabel.trim(),
      secret:
        kind === "token"
          ? token.trim()
          : kind === "azure"
            ? {
                tenantId: azure.tenantId.trim(),
                clientId: azure.clientId.trim(),
                clientSecret: azure.clientSecret.trim(),
                subscriptionId: azure.subscriptionId.trim(),
                resourceGroup: azure.resourceGroup.trim(),
              }
            : parsedKey && "key" in parsedKey
              ? parsedKey.key
              : awsMode === "role"
                ? { roleArn: roleArn.trim(), externalId: externalId.trim(), ...awsRegion }
                : { accessKeyId: accessKeyId.trim(), secretAccessKey: secretAccessKey.trim(), ...awsRegion },
      deleteAfterProvisioning: deleteAfter,
    };
    // Submitted: the secret leaves the form's state now, whatever the answer.
    clearSecrets();
    create.mutate(undefined, {
      onSuccess: (created) => {
        navigate(`/cloud-accounts/${encodeURIComponent(created.id)}`, {
          state: flashState(
            `credential:${created.id}`,
            `Connected. ${guide.name} accepted the ${kind === "token" ? "token" : "credential"}, and it is stored encrypted.`,
          ),
        });
      },
      onError: (error) => {
        const labelProblem = error instanceof ApiError && error.code === "VALIDATION_FAILED" && /\b(label|name)\b/i.test(error.message);
        // The secret was cleared: the next step is to paste one again (focused once the form is enabled again).
        focusAfterError.current = labelProblem
          ? "label"
          : ({ token: "secret", azure: "clientSecret", gcp: "gcpKey" }[kind as string] ?? (awsMode === "role" ? "roleArn" : "accessKeyId"));
      },
    });
  }

  const checking = `Checking with ${guide.name}…`;

  return (
    <form ref={formRef} className="add-account" onSubmit={onSubmit} noValidate>
      <ProviderPicker
        providers={providers}
        value={guide.id}
        disabled={create.isPending}
        onChange={(id) => {
          setProvider(id);
          setErrors({});
          create.reset();
        }}
      />
      <div className="add-account-grid">
        <div className="card form-step">
          <ProviderGuidePanel guide={guide} headingId={guideHeadingId} />
        </div>
        <section className="card form-step" aria-labelledby={fieldsHeadingId}>
          <h2 id={fieldsHeadingId} className="form-step-title">
            <span className="form-step-number" aria-hidden="true">
              3
            </span>
            Paste it here
          </h2>
          <fieldset className="form add-account-fields" disabled={create.isPending}>
            <FormAlert>{create.isError ? errorMessage(create.error) : null}</FormAlert>
            <Field
              label="Account name"
              name="label"
              autoComplete="off"
              maxLength={LABEL_MAX}
              required
              value={effectiveLabel}
              onValueChange={(v) => {
                setLabelEdited(true);
                edit(setLabel, "label")(v);
              }}
              error={errors.label}
              hint="Only you see this, e.g. “Personal” or “Acme production”."
            />
            {kind === "azure" ? (
              <AzureFields value={azure} errors={errors} onChange={(key) => edit((v) => setAzure((a) => ({ ...a, [key]: v })), key)} />
            ) : kind === "gcp" ? (
              <GcpKeyField value={gcpKey} onChange={edit(setGcpKey, "gcpKey")} error={errors.gcpKey} />
            ) : !isAws ? (
              <Field
                label="API token"
                name="secret"
                type="password"
                autoComplete="off"
                autoCapitalize="off"
                autoCorrect="off"
                spellCheck={false}
                data-1p-ignore=""
                data-lpignore="true"
                revealable
                required
                placeholder={create.isPending ? "Checking this token…" : undefined}
                value={token}
                onValueChange={edit(setToken, "secret")}
                error={errors.secret}
                hint={`Paste the whole token. Only its last 4 characters are ever shown again.`}
              />
            ) : (
              <>
                <AwsModeSwitch
                  value={awsMode}
                  onChange={(mode) => {
                    setAwsMode(mode);
                    setErrors({});
                  }}
                />
                {awsMode === "role" ? (
                  <>
                    <Field
                      label="Role ARN"
                      name="roleArn"
                      autoComplete="off"
                      spellCheck={false}
                      placeholder="arn:aws:iam::123456789012:role/ClawCloud"
                      value={roleArn}
                      onValueChange={edit(setRoleArn, "roleArn")}
                      error={errors.roleArn}
                    />
                    <Field
                      label="External ID"
                      name="externalId"
                      autoComplete="off"
                      spellCheck={false}
                      readOnly
                      value={awsSetup.isPending ? "Loading…" : externalId}
                      onValueChange={() => {}}
                      error={errors.externalId ?? (awsSetup.isError ? "Could not load the external ID. Reload the page." : undefined)}
                      hint={
                        awsSetup.data?.trustedAccountId
                          ? `Require this exact value (sts:ExternalId) in the role's trust policy, trusting account ${awsSetup.data.trustedAccountId}. Claw Cloud issues it for this workspace: it stops anyone else from using your role through Claw Cloud.`
                          : "Require this exact value (sts:ExternalId) in the role's trust policy. Claw Cloud issues it for this workspace: it stops anyone else from using your role through Claw Cloud."
                      }
                    />
                  </>
                ) : (
                  <>
                    <Field
                      label="Access key ID"
                      name="accessKeyId"
                      autoComplete="off"
                      autoCapitalize="characters"
                      spellCheck={false}
                      placeholder="AKIA…"
                      value={accessKeyId}
                      onValueChange={edit(setAccessKeyId, "accessKeyId")}
                      error={errors.accessKeyId}
                    />
                    <Field
                      label="Secret access key"
                      name="secretAccessKey"
                      type="password"
                      autoComplete="off"
                      spellCheck={false}
                      data-1p-ignore=""
                      data-lpignore="true"
                      revealable
                      value={secretAccessKey}
                      onValueChange={edit(setSecretAccessKey, "secretAccessKey")}
                      error={errors.secretAccessKey}
                      hint="Keys of an IAM user that has only the permissions listed. A role is safer: nothing long-lived is stored."
                    />
                  </>
                )}
                <Field
                  label="Region (optional)"
                  name="region"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="us-east-1"
                  value={region}
                  onValueChange={edit(setRegion, "region")}
                  error={errors.region}
                  hint="Where Claw Cloud checks access first. You choose the server's region when you deploy."
                />
              </>
            )}
            <div className="checkbox-field">
              <input
                id={`${deleteHintId}-input`}
                type="checkbox"
                name="deleteAfterProvisioning"
                checked={deleteAfter}
                onChange={(e) => setDeleteAfter(e.target.checked)}
                aria-describedby={deleteHintId}
              />
              <div>
                <label htmlFor={`${deleteHintId}-input`} className="field-label">
                  Delete it after the first deploy
                </label>
                <p id={deleteHintId} className="field-hint">
                  Claw Cloud forgets the {kind === "token" ? "token" : "credential"} once your assistant's server is created. You add it
                  again to deploy another.
                </p>
              </div>
            </div>
            <div className="form-actions">
              <SubmitButton pending={create.isPending} pendingLabel={checking}>
                Verify and save
              </SubmitButton>
              <Link href="/cloud-accounts" className="btn btn-ghost">
                Cancel
              </Link>
            </div>
            <p className="form-progress" role="status" aria-live="polite">
              {create.isPending ? (
                <>
                  <span className="visually-hidden">{checking} </span>This usually takes a few seconds.
                </>
              ) : null}
            </p>
          </fieldset>
          <p className="form-footnote">
            <IconLock className="form-footnote-icon" />
            Encrypted before it is stored, never shown again, never logged.
          </p>
        </section>
      </div>
    </form>
  );
}

export default function AddCloudAccountPage() {
  useDocumentTitle("Add a cloud account");
  const providers = useProviders();
  const requested = new URLSearchParams(useSearch()).get("provider");

  return (
    <>
      <Link href="/cloud-accounts" className="back-link">
        <IconArrowLeft /> Cloud accounts
      </Link>
      <PageHeader
        title="Add a cloud account"
        description="Claw Cloud creates your assistant's server in this account, with the least access it needs. You pay your provider directly."
      />
      {providers.isPending ? (
        <LoadingList label="Loading providers…" rows={2} />
      ) : providers.isError ? (
        <ErrorState title="We couldn't load the list of providers" error={providers.error} onRetry={() => void providers.refetch()} />
      ) : (
        <AddAccountForm
          providers={providers.data}
          initial={providers.data.find((p) => p.id === requested)?.id ?? providers.data[0]?.id ?? "digitalocean"}
        />
      )}
    </>
  );
}
