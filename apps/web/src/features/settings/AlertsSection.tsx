// Alerts: e-mail to the account's address (on by default) and a signed webhook. A new webhook's
// signing secret is shown once, right here, and never again (it is stored encrypted).
import type { AlertSettings, UpdateAlertSettings } from "@clawcloud/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { Field } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { Spinner } from "../../ui/Spinner";
import { SubmitButton } from "../../ui/SubmitButton";
import { Section } from "./Section";

const alertsKey = ["me", "alerts"] as const;

export function AlertsSection() {
  const queryClient = useQueryClient();
  const emailId = useId();
  const settings = useQuery({ queryKey: alertsKey, queryFn: ({ signal }) => api.get<AlertSettings>("/api/v1/me/alerts", signal) });
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState<string | null>(null);
  useEffect(() => {
    if (settings.data) setUrl(settings.data.webhookUrl ?? "");
  }, [settings.data]);

  const [emailChoice, setEmailChoice] = useState<boolean | null>(null);
  const save = useMutation({
    mutationFn: (patch: UpdateAlertSettings) => api.patch<AlertSettings>("/api/v1/me/alerts", patch),
    // The e-mail switch flips at once; a failure puts it back and says why.
    onMutate: (patch) => {
      const before = queryClient.getQueryData<AlertSettings>(alertsKey);
      if (before && patch.emailEnabled !== undefined) queryClient.setQueryData(alertsKey, { ...before, emailEnabled: patch.emailEnabled });
      return { before };
    },
    onError: (_err, _patch, context) => {
      if (context?.before) queryClient.setQueryData(alertsKey, context.before);
    },
    onSuccess: (next) => {
      const { webhookSecret, ...rest } = next;
      queryClient.setQueryData(alertsKey, rest);
      setSecret(webhookSecret ?? null);
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate({ webhookUrl: url.trim() === "" ? null : url.trim() });
  }

  const description = (
    <>
      When an assistant becomes unreachable or degraded, recovers, or fails to update or back up. Once per incident, never with your chats
      or keys.
    </>
  );
  if (settings.isPending)
    return (
      <Section id="settings-alerts" title="Alerts" description={description}>
        <p role="status">
          <Spinner /> Loading alert settings…
        </p>
      </Section>
    );
  if (settings.isError)
    return (
      <Section id="settings-alerts" title="Alerts" description={description}>
        <FormAlert>{errorMessage(settings.error)}</FormAlert>
      </Section>
    );
  const current = settings.data;
  const unchanged = url.trim() === (current.webhookUrl ?? "");
  return (
    <Section id="settings-alerts" title="Alerts" description={description}>
      <div className="form">
        <FormAlert>{save.isError ? errorMessage(save.error) : null}</FormAlert>
        <div className="checkbox-field">
          <input
            id={emailId}
            type="checkbox"
            checked={emailChoice ?? current.emailEnabled}
            disabled={save.isPending}
            onChange={(e) => {
              // Set in the same event: a controlled box waiting for the query cache would flip back first.
              setEmailChoice(e.target.checked);
              save.mutate({ emailEnabled: e.target.checked }, { onSettled: () => setEmailChoice(null) });
            }}
            aria-describedby={`${emailId}-hint`}
          />
          <div>
            <label htmlFor={emailId} className="field-label">
              E-mail me alerts
            </label>
            <p id={`${emailId}-hint`} className="field-hint">
              Sent to {current.email}.
            </p>
          </div>
        </div>
      </div>
      <form className="form" onSubmit={onSubmit} noValidate>
        <Field
          label="Webhook URL"
          name="webhookUrl"
          type="url"
          inputMode="url"
          placeholder="https://example.com/hooks/claw-cloud"
          value={url}
          onValueChange={(v) => {
            setUrl(v);
            if (save.isError) save.reset();
          }}
          hint={
            <>
              We POST JSON signed with <code>ClawCloud-Signature: t=…,v1=…</code>: HMAC-SHA256 of <code>t.body</code> with your secret.
              Leave empty to turn webhooks off.
            </>
          }
        />
        <div className="form-actions">
          <SubmitButton pending={save.isPending} pendingLabel="Saving…" variant="secondary" disabled={unchanged}>
            Save webhook
          </SubmitButton>
          {current.webhookUrl && unchanged ? (
            <button
              type="button"
              className="btn btn-secondary"
              disabled={save.isPending}
              onClick={() => save.mutate({ rotateWebhookSecret: true })}
            >
              New signing secret
            </button>
          ) : null}
        </div>
      </form>
      {secret ? (
        <div className="alert-secret" role="status" data-testid="webhook-secret">
          <p className="field-label">Your webhook signing secret — copy it now, it is not shown again:</p>
          <code className="alert-secret-value">{secret}</code>
        </div>
      ) : null}
    </Section>
  );
}
