import { lazy, Suspense, useState } from "react";
import { Link } from "wouter";
import { IconChat } from "../../ui/icons";
import type { InstanceDetail } from "../instances/api";

// The dialog brings the sealing code (X25519, XSalsa20): loaded when first opened.
const ModelDialog = lazy(() => import("./ModelDialog").then((m) => ({ default: m.ModelDialog })));

/** On the instance page once it runs: the model in use (or a prompt to set one) and the way to chat. */
export function AssistantPanel({ instance }: { instance: InstanceDetail }) {
  const [open, setOpen] = useState(false);
  const [wanted, setWanted] = useState(false);
  const canSeal = instance.agentPublicKey !== null;
  return (
    <section className="card assistant-panel" aria-labelledby="assistant-title">
      <div className="assistant-panel-body">
        <h2 id="assistant-title" className="section-title">
          Model
        </h2>
        {instance.model ? (
          <p data-testid="model-in-use">
            <strong>{instance.model.model}</strong>
            {instance.model.host ? <span className="detail-muted"> · {instance.model.host}</span> : null}
          </p>
        ) : (
          <p className="detail-muted">No model yet: choose a provider and paste your key to start chatting.</p>
        )}
        {canSeal ? null : <p className="detail-muted">Waiting for the agent to connect before a key can be set.</p>}
      </div>
      <div className="assistant-panel-actions">
        <button
          type="button"
          className={`btn ${instance.model ? "btn-secondary" : "btn-primary"}`}
          onClick={() => {
            setWanted(true);
            setOpen(true);
          }}
          disabled={!canSeal}
        >
          {instance.model ? "Change model" : "Set up your model"}
        </button>
        <Link
          href={`/instances/${encodeURIComponent(instance.id)}/chat`}
          className={`btn ${instance.model ? "btn-primary" : "btn-secondary"}`}
        >
          <IconChat /> Open chat
        </Link>
      </div>
      {wanted ? (
        <Suspense fallback={null}>
          <ModelDialog instance={instance} open={open} onClose={() => setOpen(false)} />
        </Suspense>
      ) : null}
    </section>
  );
}
