import { lazy, type ReactNode, Suspense, useEffect, useRef, useState } from "react";
import { Link, useLocation } from "wouter";
import { ApiError, errorMessage } from "../../lib/api";
import { flashState, takeFlash } from "../../lib/flash";
import { formatAgo, formatDateTime, formatDuration, formatMemory, formatMoney } from "../../lib/format";
import { providerName } from "../../lib/providers";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { useNow } from "../../lib/useNow";
import { FormAlert } from "../../ui/FormAlert";
import { IconAlert, IconArrowLeft, IconCheck, IconRefresh, IconTrash } from "../../ui/icons";
import { PageHeader } from "../../ui/PageHeader";
import { Spinner } from "../../ui/Spinner";
import { EmptyState, ErrorState, LoadingList } from "../../ui/States";
import { AssistantPanel } from "../chat/AssistantPanel";
import { useCredentials, useRegions, useSizes } from "../cloud-accounts/api";
import { vcpuLabel } from "../cloud-accounts/sizing";
import { SupportAccessPanel } from "../support/SupportAccessPanel";
import { UpdatePanel } from "../updates/UpdatePanel";
import { type InstanceDetail, useRetryInstance } from "./api";
import { DeleteInstanceDialog } from "./DeleteInstanceDialog";
import { EmptyInstancesIllustration } from "./EmptyIllustration";
import { InstanceMark } from "./InstanceMark";
import { ProgressView } from "./ProgressView";
import { deriveProgress, serverLeft } from "./progress";
import { StateBadge } from "./StateBadge";
import { isDeploying, stateInfo } from "./states";
import { Timeline } from "./Timeline";
import { type Connection, useLiveInstance } from "./useLiveInstance";

// Its own chunk with the charting library: only a running instance's page loads it.
const MetricsPanel = lazy(() => import("./MetricsPanel"));

function Detail({ term, children, wide }: { term: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? "detail detail-wide" : "detail"}>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Region and size in words, from the account's catalog when it can still be read. */
function useCatalogNames(instance: InstanceDetail | undefined) {
  const cloud = !!instance && instance.provider !== "local" && !!instance.credentialId;
  const credentialId = instance?.credentialId ?? "";
  const regions = useRegions(credentialId, cloud);
  const sizes = useSizes(credentialId, cloud);
  const region = regions.data?.find((r) => r.id === instance?.region);
  const size = sizes.data?.find((s) => s.id === instance?.size);
  return { region, size };
}

/** Announces state changes (and a dropped or restored connection) to screen readers. */
function useAnnouncement(instance: InstanceDetail | undefined, connection: Connection, gone: boolean): string {
  const [message, setMessage] = useState("");
  const last = useRef<{ state?: string; connection?: Connection }>({});
  const state = instance?.state;
  const reason = instance?.stateMessage;
  useEffect(() => {
    const before = last.current;
    last.current = { state, connection };
    if (gone) {
      setMessage("This instance was deleted.");
      return;
    }
    if (before.state !== undefined && state !== undefined && before.state !== state) {
      const info = stateInfo(state);
      setMessage(state === "failed" && reason ? `${info.announce} ${reason}` : info.announce);
    } else if (before.connection === "live" && connection === "lost") {
      setMessage("Connection lost, retrying.");
    } else if (before.connection === "lost" && connection === "live") {
      setMessage("Connected again.");
    }
  }, [state, reason, connection, gone]);
  return message;
}

function ReadyPanel({ instance, now }: { instance: InstanceDetail; now: number }) {
  const version = instance.runningOpenclawVersion ?? instance.openclawVersion;
  const tookMs = instance.readyAt ? Date.parse(instance.readyAt) - Date.parse(instance.createdAt) : null;
  const healthy = instance.state === "ready";
  return (
    <section className={`card outcome ${healthy ? "outcome-success" : "outcome-warning"}`} aria-labelledby="outcome-title">
      <div className="outcome-icon" aria-hidden="true">
        {healthy ? <IconCheck /> : <IconAlert />}
      </div>
      <div className="outcome-body">
        <h2 id="outcome-title" className="outcome-title">
          {healthy
            ? "Your assistant is ready"
            : instance.state === "unreachable"
              ? "Your assistant isn't reachable"
              : "Your assistant isn't fully healthy"}
        </h2>
        <p className="outcome-text">
          {version ? (
            <>
              OpenClaw <strong>{version}</strong> is running
            </>
          ) : (
            "OpenClaw is running"
          )}
          {instance.provider === "local" ? " on this machine" : ` on your ${providerName(instance.provider)} server`}
          {tookMs !== null && tookMs > 0 ? `, deployed in ${formatDuration(tookMs)}` : ""}.
        </p>
        {!healthy && instance.stateMessage ? <p className="outcome-message">{instance.stateMessage}</p> : null}
        <p className="outcome-meta">
          <span className={`heartbeat${healthy ? "" : " heartbeat-stale"}`} aria-hidden="true" />
          {instance.lastHeartbeatAt ? (
            <span>
              Agent {instance.agentVersion ? `${instance.agentVersion} ` : ""}seen{" "}
              <time dateTime={instance.lastHeartbeatAt} title={formatDateTime(instance.lastHeartbeatAt)}>
                {formatAgo(instance.lastHeartbeatAt, now)}
              </time>
            </span>
          ) : (
            <span>No heartbeat from the agent yet</span>
          )}
        </p>
      </div>
    </section>
  );
}

/** What became of the failed deploy's server, and whether its clean-up is still running. */
function serverNote(instance: InstanceDetail): { text: string; cleaning: boolean } | null {
  if (instance.provider === "local") return null;
  const name = providerName(instance.provider);
  if (!serverLeft(instance.events)) {
    const created = instance.events.some((e) => e.step === "creating" && e.status === "ok");
    return {
      text: created
        ? `The server it created was deleted from your ${name} account, so it costs nothing.`
        : `No server was created in your ${name} account, so nothing is left running.`,
      cleaning: false,
    };
  }
  if (instance.keepOnFailure) {
    return {
      text: `As you asked, the server was kept in your ${name} account for inspection${
        instance.ipv4 ? ` (${instance.ipv4})` : ""
      }. It costs money while it exists: delete it here when you are done.`,
      cleaning: false,
    };
  }
  return { text: `Deleting the server it created in your ${name} account…`, cleaning: true };
}

function FailurePanel({ instance, onDelete, onRetried }: { instance: InstanceDetail; onDelete: () => void; onRetried: () => void }) {
  const note = serverNote(instance);
  const cleaning = note?.cleaning ?? false;
  const retry = useRetryInstance();
  return (
    <section className="card outcome outcome-danger" aria-labelledby="outcome-title" data-testid="deploy-failed">
      <div className="outcome-icon" aria-hidden="true">
        <IconAlert />
      </div>
      <div className="outcome-body">
        <h2 id="outcome-title" className="outcome-title">
          The deploy failed
        </h2>
        <p className="outcome-message">{instance.stateMessage ?? "The deploy stopped without a reason."}</p>
        {note ? (
          <p className="outcome-text">
            {cleaning ? <Spinner /> : null} {note.text}
          </p>
        ) : null}
        <div className="outcome-actions">
          <button
            type="button"
            className="btn btn-primary"
            disabled={retry.isPending || cleaning}
            aria-busy={retry.isPending || undefined}
            onClick={() => retry.mutateAsync(instance.id).then(onRetried, () => undefined)}
          >
            {retry.isPending ? <Spinner /> : <IconRefresh />}
            <span>{retry.isPending ? "Retrying…" : "Retry"}</span>
          </button>
          <Link href={`/deploy?from=${encodeURIComponent(instance.id)}`} className="btn btn-secondary">
            Edit and deploy again
          </Link>
          <button type="button" className="btn btn-secondary btn-danger-text" onClick={onDelete}>
            <IconTrash /> Delete
          </button>
        </div>
        <p className="outcome-error" role="alert">
          {retry.isError ? errorMessage(retry.error) : null}
        </p>
        <p className="outcome-hint">
          {cleaning ? "Retry is possible once the failed server is deleted. " : ""}“Retry” runs this deploy again with the same choices.
          “Edit and deploy again” opens the deploy form with them filled in, for a new instance.
        </p>
      </div>
    </section>
  );
}

function DeletingPanel({ instance }: { instance: InstanceDetail }) {
  const local = instance.provider === "local";
  const retrying = instance.stateMessage?.startsWith("Deleting:") ? instance.stateMessage : null;
  return (
    <section className="card outcome outcome-neutral" aria-labelledby="outcome-title">
      <div className="outcome-icon" aria-hidden="true">
        <Spinner />
      </div>
      <div className="outcome-body">
        <h2 id="outcome-title" className="outcome-title">
          Deleting this instance
        </h2>
        <p className="outcome-text">
          {local
            ? "Stopping the assistant and deleting its files on this machine."
            : `Deleting its server in your ${providerName(instance.provider)} account.`}{" "}
          It disappears from your list when it is gone.
        </p>
        {retrying ? <p className="outcome-message">{retrying}</p> : null}
      </div>
    </section>
  );
}

function InstanceDetails({ instance }: { instance: InstanceDetail }) {
  const { region, size } = useCatalogNames(instance);
  const credentials = useCredentials();
  const credential = credentials.data?.find((c) => c.id === instance.credentialId);
  const local = instance.provider === "local";
  const requested = instance.openclawVersion;
  const running = instance.runningOpenclawVersion;
  return (
    <section className="card instance-details" aria-labelledby="details-title">
      <h2 id="details-title" className="visually-hidden">
        Details
      </h2>
      <dl className="detail-grid">
        <Detail term="Where">{providerName(instance.provider)}</Detail>
        {local ? null : (
          <>
            <Detail term="Cloud account">
              {credential ? (
                <Link href={`/cloud-accounts/${encodeURIComponent(credential.id)}`}>{credential.label}</Link>
              ) : (
                <span className="detail-muted">{instance.credentialId ? "Removed" : "—"}</span>
              )}
            </Detail>
            <Detail term="Region">
              {region ? region.name : (instance.region ?? "—")}
              {region ? <span className="detail-muted"> · {region.id}</span> : null}
            </Detail>
            <Detail term="Size">
              <code className="size-id">{instance.size ?? "—"}</code>
              {size ? (
                <span className="detail-sub">
                  {vcpuLabel(size.vcpus)} · {formatMemory(size.memoryMb)} RAM · {formatMoney(size.priceMonthlyCents, size.currency)}/month
                </span>
              ) : null}
            </Detail>
          </>
        )}
        <Detail term="OpenClaw">
          {running ?? requested ?? "—"}
          {running && requested && running !== requested ? <span className="detail-sub">{requested} requested</span> : null}
          {!running && requested ? (
            <span className="detail-sub">{instance.state === "failed" ? "Requested" : "Requested, not running yet"}</span>
          ) : null}
        </Detail>
        <Detail term="Agent">
          {instance.agentVersion ?? <span className="detail-muted">Not connected yet</span>}
          <AgentUpdateNote update={instance.agentUpdate} />
        </Detail>
        {local ? null : <Detail term="IP address">{instance.ipv4 ?? <span className="detail-muted">Not assigned yet</span>}</Detail>}
        <Detail term="Created">
          <time dateTime={instance.createdAt}>{formatDateTime(instance.createdAt)}</time>
        </Detail>
      </dl>
    </section>
  );
}

/** The agent's last update of itself (it follows Claw Cloud's releases on its own). */
function AgentUpdateNote({ update }: { update: InstanceDetail["agentUpdate"] | undefined }) {
  if (!update) return null;
  // The agent's own words for what went wrong say which version runs now.
  const text = {
    running: `Updating itself to ${update.toVersion}…`,
    succeeded: `Updated itself from ${update.fromVersion}`,
    rolled_back: update.message ?? `${update.toVersion} did not take over; ${update.fromVersion} runs again`,
    failed: `Update to ${update.toVersion} failed${update.message ? `: ${update.message}` : ""}`,
  }[update.status];
  return <span className="detail-sub">{text.length > 240 ? `${text.slice(0, 240)}…` : text}</span>;
}

/** "DigitalOcean · New York 3 · s-2vcpu-4gb", with the provider's mark. */
/** The server exists and boots: a grant waits in Claw Cloud until its agent connects. */
function hasServerUp(instance: InstanceDetail): boolean {
  return instance.state === "booting" || instance.state === "bootstrapping";
}

function WhereLine({ instance }: { instance: InstanceDetail }) {
  const { region } = useCatalogNames(instance);
  const parts =
    instance.provider === "local"
      ? ["This machine"]
      : [providerName(instance.provider), region?.name ?? instance.region, instance.size].filter(Boolean);
  return (
    <span className="instance-where">
      <InstanceMark provider={instance.provider} />
      <span>{parts.join(" · ")}</span>
    </span>
  );
}

function Back() {
  return (
    <Link href="/instances" className="back-link">
      <IconArrowLeft /> Instances
    </Link>
  );
}

export default function InstancePage({ params }: { params: { id: string } }) {
  const id = decodeURIComponent(params.id);
  const [, navigate] = useLocation();
  const { query, connection, gone } = useLiveInstance(id);
  const instance = query.data;
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  useDocumentTitle(instance ? instance.name : "Instance");
  useEffect(() => {
    const message = takeFlash(`instance:${id}`);
    if (message) setNotice(message);
  }, [id]);
  const announcement = useAnnouncement(instance, connection, gone);
  const deploying = instance ? isDeploying(instance.state) : false;
  const running = instance ? ["ready", "degraded", "unreachable"].includes(instance.state) : false;
  const now = useNow(deploying || running);
  // After "Retry", focus moves from the failure panel (gone) to the progress it started.
  const focusProgress = useRef(false);
  useEffect(() => {
    if (!focusProgress.current || !deploying) return;
    focusProgress.current = false;
    document.getElementById("progress-title")?.focus();
  });

  // 400: not an instance id at all.
  const notFound = gone || (query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400));
  if (notFound) {
    return (
      <>
        <Back />
        <PageHeader title={instance?.name ?? "Instance not found"} />
        <p className="visually-hidden" role="status" aria-live="polite">
          {announcement}
        </p>
        <EmptyState
          illustration={<EmptyInstancesIllustration />}
          title={gone ? "This instance was deleted" : "This instance isn't here"}
          actions={
            <Link href="/instances" className="btn btn-primary">
              See your instances
            </Link>
          }
        >
          <p>{gone ? "Its server is gone too." : "It may have been deleted, or it belongs to another workspace."}</p>
        </EmptyState>
      </>
    );
  }
  if (!instance) {
    return (
      <>
        <Back />
        {query.isError ? (
          <ErrorState title="We couldn't load this instance" error={query.error} onRetry={() => void query.refetch()} />
        ) : (
          <LoadingList label="Loading the instance…" rows={3} />
        )}
      </>
    );
  }

  const failed = instance.state === "failed";
  const progress = deriveProgress(instance);

  return (
    <>
      <Back />
      <PageHeader
        title={instance.name}
        description={
          <span className="instance-heading-sub">
            <StateBadge state={instance.state} />
            <WhereLine instance={instance} />
          </span>
        }
        actions={
          failed || instance.state === "deleting" ? null : (
            <button type="button" className="btn btn-secondary btn-danger-text" onClick={() => setConfirming(true)}>
              <IconTrash /> Delete<span className="visually-hidden"> {instance.name}</span>
            </button>
          )
        }
      />
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="instance-announcer">
        {announcement}
      </p>
      <div className="page-notice">
        {/* "Deploy started" belongs to the deploy: gone once it settles. */}
        <FormAlert tone="success">{deploying ? notice : null}</FormAlert>
      </div>
      <div className="instance-main">
        {failed ? (
          <FailurePanel
            instance={instance}
            onDelete={() => setConfirming(true)}
            onRetried={() => {
              setNotice(null);
              focusProgress.current = true;
            }}
          />
        ) : null}
        {running ? <ReadyPanel instance={instance} now={now} /> : null}
        {running ? <AssistantPanel instance={instance} /> : null}
        {running ? <UpdatePanel instance={instance} now={now} /> : null}
        {instance.state === "deleting" ? <DeletingPanel instance={instance} /> : null}
        {deploying || failed ? <ProgressView progress={progress} now={now} connection={connection} failed={failed} /> : null}
        {running ? (
          <Suspense fallback={null}>
            <MetricsPanel instanceId={instance.id} />
          </Suspense>
        ) : null}
        {instance.state !== "deleting" ? <SupportAccessPanel instanceId={instance.id} canGrant={running || hasServerUp(instance)} /> : null}
        <InstanceDetails instance={instance} />
        <Timeline events={instance.events} />
      </div>
      <DeleteInstanceDialog
        instance={instance}
        open={confirming}
        onClose={() => setConfirming(false)}
        onDeleted={(deleted) => {
          setConfirming(false);
          const what =
            deleted.provider === "local"
              ? `Deleting “${deleted.name}”.`
              : `Deleting “${deleted.name}” and its server in your ${providerName(deleted.provider)} account.`;
          navigate("/instances", { state: flashState("instances", `${what} It disappears from this list when it is gone.`) });
        }}
      />
    </>
  );
}
