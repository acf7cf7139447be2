import { modelPresets, type SetModelResult } from "@clawcloud/contracts";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { errorMessage } from "../../lib/api";
import { Field } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { SubmitButton } from "../../ui/SubmitButton";
import type { InstanceDetail } from "../instances/api";
import { checkMessage, type PresetId, presetFor, presetIds, useSetModel } from "./model";

interface ModelDialogProps {
  instance: InstanceDetail;
  open: boolean;
  onClose: () => void;
}

function validUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * The form lives only while the dialog is open, so the pasted key is dropped with it on close;
 * it is sealed to the agent's public key before it leaves the browser.
 */
function ModelForm({ instance, onClose }: { instance: InstanceDetail; onClose: () => void }) {
  const setModel = useSetModel(instance);
  const [preset, setPreset] = useState<PresetId>(() => presetFor(instance.model));
  const [baseUrl, setBaseUrl] = useState<string>(() =>
    preset === "custom" && instance.model?.host ? `https://${instance.model.host}` : "",
  );
  const [model, setModelId] = useState<string>(() =>
    instance.model && presetFor(instance.model) === preset ? instance.model.model : modelPresets[preset].model,
  );
  const [apiKey, setApiKey] = useState("");
  const [errors, setErrors] = useState<{ baseUrl?: string; model?: string; apiKey?: string }>({});
  const [result, setResult] = useState<SetModelResult | null>(null);
  const custom = preset === "custom";
  const groupId = useId();

  const choose = (next: PresetId) => {
    setPreset(next);
    setModelId(modelPresets[next].model);
    setResult(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: typeof errors = {};
    if (custom && !validUrl(baseUrl.trim())) next.baseUrl = "Enter the base URL, e.g. http://localhost:11434/v1";
    if (!model.trim()) next.model = "Enter the model id";
    if (!custom && !apiKey.trim()) next.apiKey = `Paste your ${modelPresets[preset].label} API key`;
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setResult(null);
    const p = modelPresets[preset];
    setModel.mutate(
      { baseUrl: custom ? baseUrl.trim() : p.baseUrl, apiKey: apiKey.trim(), model: model.trim(), api: p.api },
      {
        onSuccess: (r) => {
          setResult(r);
          if (r.applied) setApiKey("");
        },
      },
    );
  };

  if (result?.applied) {
    return (
      <div className="dialog-content" data-testid="model-applied">
        <h2 className="dialog-title">Model set</h2>
        <FormAlert tone="success">
          The test call to <strong>{result.model?.model ?? model}</strong> worked. Your assistant uses it from now on.
        </FormAlert>
        <div className="dialog-actions">
          {/* biome-ignore lint/a11y/noAutofocus: the dialog's only action after success */}
          <button type="button" className="btn btn-primary" onClick={onClose} autoFocus>
            Done
          </button>
        </div>
      </div>
    );
  }

  const failure = setModel.isError ? errorMessage(setModel.error) : result && !result.check.ok ? checkMessage(result.check) : null;
  return (
    <form className="dialog-content model-form" onSubmit={submit} noValidate>
      <h2 className="dialog-title" id={`${groupId}-title`}>
        {instance.model ? "Change model" : "Set up your model"}
      </h2>
      <p className="dialog-body">
        Your key is encrypted in this browser for your instance only. Claw Cloud relays it but can't read it, and never stores it.
      </p>
      <fieldset className="preset-group">
        <legend className="field-label">Provider</legend>
        {presetIds.map((id) => (
          <label key={id} className={`preset-option${preset === id ? " preset-selected" : ""}`}>
            <input type="radio" name="preset" value={id} checked={preset === id} onChange={() => choose(id)} />
            <span>{modelPresets[id].label}</span>
          </label>
        ))}
      </fieldset>
      {custom ? (
        <Field
          label="Base URL"
          value={baseUrl}
          onValueChange={setBaseUrl}
          error={errors.baseUrl}
          placeholder="http://localhost:11434/v1"
          hint="An OpenAI-compatible API, as your instance reaches it."
          inputMode="url"
          autoComplete="off"
        />
      ) : null}
      <Field label="Model" value={model} onValueChange={setModelId} error={errors.model} autoComplete="off" spellCheck={false} />
      <Field
        label={custom ? "API key (optional)" : "API key"}
        value={apiKey}
        onValueChange={setApiKey}
        error={errors.apiKey}
        type="password"
        revealable
        autoComplete="off"
        spellCheck={false}
        hint={instance.model ? "Paste the key again to change the model; the current one stays until the test call works." : undefined}
      />
      <FormAlert>{failure}</FormAlert>
      <div className="dialog-actions">
        <button type="button" className="btn btn-secondary" onClick={onClose} disabled={setModel.isPending}>
          Cancel
        </button>
        <SubmitButton pending={setModel.isPending} pendingLabel="Testing the model…">
          Save and test
        </SubmitButton>
      </div>
    </form>
  );
}

/** A modal on <dialog>: focus is trapped, Escape closes, focus returns to the opener. */
export function ModelDialog({ instance, open, onClose }: ModelDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
      if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog model-dialog"
      aria-label={instance.model ? "Change model" : "Set up your model"}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      data-testid="model-dialog"
    >
      {open ? <ModelForm instance={instance} onClose={onClose} /> : null}
    </dialog>
  );
}
