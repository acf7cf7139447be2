import type { ApiToken } from "@clawcloud/contracts";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatDate, formatRelative } from "../../lib/format";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { CopyButton } from "../../ui/CopyButton";
import { Field } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { SubmitButton } from "../../ui/SubmitButton";
import { useInstances } from "../instances/api";
import { apiSnippets, type CreatedApiToken, useApiTokens, useCreateApiToken, useRevokeApiToken } from "./apiTokens";
import { Section } from "./Section";

const EXPIRY_CHOICES = [
  { value: "", label: "Never" },
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
];

/** The new token, once: copy it now, with snippets for one of the user's instances. */
function NewToken({ created, onDone }: { created: CreatedApiToken; onDone: () => void }) {
  const instances = useInstances();
  const instanceId = instances.data?.[0]?.id ?? "<instance-id>";
  const snippets = apiSnippets(window.location.origin, instanceId, created.token);
  return (
    <div className="token-created" data-testid="api-token-created">
      <FormAlert tone="success">Token “{created.name}” created. Copy it now: it is not shown again.</FormAlert>
      <div className="token-value">
        <code className="token-code" data-testid="api-token-value">
          {created.token}
        </code>
        <CopyButton text={created.token} label="Copy token" />
      </div>
      <p className="field-hint">Use it as an OpenAI API key with your instance's base URL:</p>
      <p className="snippet-label">curl</p>
      <pre className="snippet">
        <code>{snippets.curl}</code>
      </pre>
      <CopyButton text={snippets.curl} label="Copy curl" />
      <p className="snippet-label">Python (OpenAI SDK)</p>
      <pre className="snippet">
        <code>{snippets.python}</code>
      </pre>
      <div className="form-actions">
        <CopyButton text={snippets.python} label="Copy Python" />
        <button type="button" className="btn btn-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const create = useCreateApiToken();
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("");
  const [nameError, setNameError] = useState<string | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setNameError("Give the token a name");
    if (trimmed.length > 64) return setNameError("Use at most 64 characters");
    setNameError(undefined);
    create.mutate(
      { name: trimmed, ...(expiry ? { expiresInDays: Number(expiry) } : {}) },
      {
        onSuccess: (created) => {
          setName("");
          onCreated(created);
        },
      },
    );
  };
  return (
    <form className="token-form" onSubmit={submit} noValidate>
      <Field
        label="Name"
        value={name}
        onValueChange={setName}
        error={nameError}
        hint="Where you will use it, e.g. “laptop script”."
        maxLength={64}
      />
      <div className="field">
        <label className="field-label" htmlFor="token-expiry">
          Expires
        </label>
        <select id="token-expiry" className="input" value={expiry} onChange={(event) => setExpiry(event.target.value)}>
          {EXPIRY_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <FormAlert>{create.isError ? errorMessage(create.error) : null}</FormAlert>
      <div className="form-actions">
        <SubmitButton pending={create.isPending} pendingLabel="Creating…">
          Create token
        </SubmitButton>
      </div>
    </form>
  );
}

function TokenRow({ token, onRevoke }: { token: ApiToken; onRevoke: (token: ApiToken) => void }) {
  const expired = token.expiresAt !== null && Date.parse(token.expiresAt) < Date.now();
  return (
    <li className="token-row" data-testid="api-token-row">
      <div className="token-row-main">
        <span className="token-name">{token.name}</span>
        <code className="token-prefix">{token.prefix}…</code>
      </div>
      <span className="token-row-meta">
        Created {formatDate(token.createdAt)} · {token.lastUsedAt ? `used ${formatRelative(token.lastUsedAt)}` : "never used"} ·{" "}
        {token.expiresAt ? (expired ? "expired" : `expires ${formatDate(token.expiresAt)}`) : "never expires"}
      </span>
      <button type="button" className="btn btn-secondary btn-sm btn-danger-text" onClick={() => onRevoke(token)}>
        Revoke<span className="visually-hidden"> {token.name}</span>
      </button>
    </li>
  );
}

export function ApiTokensSection() {
  const tokens = useApiTokens();
  const revoke = useRevokeApiToken();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  return (
    <Section
      id="settings-api-tokens"
      title="API tokens"
      description="Let scripts and OpenAI client libraries talk to your assistants. A token acts as you in this workspace."
    >
      {tokens.isPending ? (
        <p role="status">Loading tokens…</p>
      ) : tokens.isError ? (
        <div role="alert" className="alert alert-error">
          {errorMessage(tokens.error)}{" "}
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void tokens.refetch()}>
            Try again
          </button>
        </div>
      ) : tokens.data.length === 0 ? (
        <p className="field-hint">No tokens yet.</p>
      ) : (
        <ul className="token-list" aria-label="Your API tokens">
          {tokens.data.map((t) => (
            <TokenRow key={t.id} token={t} onRevoke={setRevoking} />
          ))}
        </ul>
      )}
      {created ? <NewToken created={created} onDone={() => setCreated(null)} /> : <CreateTokenForm onCreated={setCreated} />}
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this token?"
        confirmLabel="Revoke token"
        pendingLabel="Revoking…"
        pending={revoke.isPending}
        error={revoke.isError ? errorMessage(revoke.error) : null}
        onClose={() => {
          revoke.reset();
          setRevoking(null);
        }}
        onConfirm={() => {
          if (revoking) revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) });
        }}
      >
        <p>
          Anything using <strong>{revoking?.name}</strong> stops working at once. This can't be undone.
        </p>
      </ConfirmDialog>
    </Section>
  );
}
