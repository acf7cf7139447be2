import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { ApiError, errorMessage } from "../../lib/api";
import { flashState } from "../../lib/flash";
import { providerName } from "../../lib/providers";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { FormAlert } from "../../ui/FormAlert";
import { IconArrowLeft, IconArrowRight, IconRefresh, IconRocket } from "../../ui/icons";
import { PageHeader } from "../../ui/PageHeader";
import { LoadingList } from "../../ui/States";
import { SubmitButton } from "../../ui/SubmitButton";
import { meQueryKey, useSession } from "../auth/session";
import type { User } from "../auth/types";
import { useCredentials, useRegions, useSizes } from "../cloud-accounts/api";
import { type InstanceDetail, useCreateInstance, useInstance, useInstances } from "../instances/api";
import { DeploySummary } from "./DeploySummary";
import { DetailsStep } from "./DetailsStep";
import {
  type Draft,
  type DraftErrors,
  emptyDraft,
  LOCAL,
  recommendedSize,
  requestBody,
  STEP_IDS,
  type StepId,
  sizeUsable,
  suggestName,
  unusableReason,
  validateName,
  validateVersion,
} from "./draft";
import { SizeStep } from "./SizeStep";
import { Stepper, type StepperItem } from "./Stepper";
import { WhereStep } from "./WhereStep";

/** "Deploy again": the failed instance's choices. (Its OpenClaw version is not carried over: the
 * API does not say whether it was pinned or the stable channel at the time.) */
function draftFrom(instance: InstanceDetail): Draft {
  return {
    ...emptyDraft,
    target: instance.provider === "local" ? LOCAL : instance.credentialId,
    region: instance.region ?? "",
    size: instance.size ?? "",
    name: instance.name,
    keepOnFailure: instance.keepOnFailure,
  };
}

const FIELD_SELECTORS: Record<string, string> = {
  target: ".target-option input:checked, .target-option input:not(:disabled)",
  region: "select[name=region]",
  size: ".size-option input:checked, .size-option input:not(:disabled)",
  name: "input[name=name]",
  openclawVersion: "input[name=openclawVersion]",
};

const TEXT: Record<StepId, { label: string; title: string }> = {
  where: { label: "Where", title: "Where should your assistant run?" },
  size: { label: "Region and size", title: "Choose a region and a size" },
  details: { label: "Details", title: "Name it and deploy" },
};

function hasErrors(errors: DraftErrors): boolean {
  return Object.values(errors).some(Boolean);
}

function DeployWizard({
  user,
  from,
  prefill,
  stepParam,
}: {
  user: User;
  from: string | null;
  prefill: Draft | null;
  stepParam: string | null;
}) {
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const credentials = useCredentials();
  const instances = useInstances();
  const create = useCreateInstance();
  const [draft, setDraft] = useState<Draft>(() => prefill ?? emptyDraft);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [formError, setFormError] = useState<{ step: StepId; message: string } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const focusNext = useRef<string | null>(null);
  const headingId = useId();
  const errorIds = { target: useId(), region: useId(), size: useId() };

  const local = draft.target === LOCAL;
  const credential = local ? undefined : credentials.data?.find((c) => c.id === draft.target);
  const usable = credential && unusableReason(credential, user.emailVerified) === null ? credential : undefined;
  const regions = useRegions(usable?.id ?? "", !!usable);
  const sizes = useSizes(usable?.id ?? "", !!usable);
  const region = regions.data?.find((r) => r.id === draft.region);
  const size = sizes.data?.find((s) => s.id === draft.size);
  const name = draft.name ?? suggestName(instances.data?.map((i) => i.name) ?? []);

  // Which steps are done decides which can be opened; the URL says which one is wanted.
  const whereDone = local || !!usable;
  const sizeDone = local || (!!draft.region && !!draft.size);
  const wanted: StepId = STEP_IDS.includes(stepParam as StepId) ? (stepParam as StepId) : prefill ? "details" : "where";
  const step: StepId = !whereDone ? "where" : wanted === "size" && local ? "details" : wanted === "details" && !sizeDone ? "size" : wanted;

  // A size that suits, once the sizes arrive after the region was chosen.
  useEffect(() => {
    if (!sizes.data || !draft.region || draft.size) return;
    const recommended = recommendedSize(sizes.data, draft.region);
    if (recommended) setDraft((d) => (d.size ? d : { ...d, size: recommended.id }));
  }, [sizes.data, draft.region, draft.size]);

  // Focus follows the person: to the new step's heading, or to what needs fixing.
  useEffect(() => {
    const target = focusNext.current;
    if (!target) return;
    focusNext.current = null;
    if (target === "heading") headingRef.current?.focus();
    else if (target === "alert") alertRef.current?.focus();
    else formRef.current?.querySelector<HTMLElement>(FIELD_SELECTORS[target] ?? `[name="${target}"]`)?.focus();
  });

  function goTo(next: StepId, focus = "heading") {
    focusNext.current = focus;
    const params = new URLSearchParams();
    if (from) params.set("from", from);
    params.set("step", next);
    navigate(`/deploy?${params}`);
  }

  function update(patch: Partial<Draft>, clear: (keyof DraftErrors)[]) {
    setDraft((d) => ({ ...d, ...patch }));
    setErrors((e) => (clear.some((k) => e[k]) ? { ...e, ...Object.fromEntries(clear.map((k) => [k, undefined])) } : e));
    setFormError(null);
    if (create.isError) create.reset();
  }

  function onTarget(target: string) {
    const next = credentials.data?.find((c) => c.id === target);
    // Regions and sizes belong to a provider: keep them only within the same one.
    const keep = next && credential && next.provider === credential.provider;
    update(keep ? { target } : { target, region: "", size: "" }, ["target", "region", "size"]);
  }

  function onRegion(id: string) {
    const current = sizes.data?.find((s) => s.id === draft.size);
    const kept = current && sizeUsable(current, id) ? current.id : undefined;
    update({ region: id, size: kept ?? (sizes.data ? (recommendedSize(sizes.data, id)?.id ?? "") : "") }, ["region", "size"]);
  }

  function fail(next: DraftErrors) {
    setErrors(next);
    focusNext.current = (Object.keys(next) as (keyof DraftErrors)[]).find((k) => next[k]) ?? null;
  }

  function onServerError(error: unknown) {
    const message = errorMessage(error);
    if (error instanceof ApiError) {
      const field = error.code === "VALIDATION_FAILED" ? /^(\w+):\s*([\s\S]*)$/.exec(error.message) : null;
      if (field?.[1] === "name" || field?.[1] === "openclawVersion") {
        fail({ [field[1]]: field[2] });
        return;
      }
      if (field?.[1] === "region" || field?.[1] === "size") {
        setErrors({ [field[1]]: field[2] });
        goTo("size", field[1]);
        return;
      }
      if (error.code === "EMAIL_NOT_VERIFIED" || error.status === 404 || field?.[1] === "credentialId") {
        void queryClient.invalidateQueries({ queryKey: error.code === "EMAIL_NOT_VERIFIED" ? meQueryKey : ["credentials"] });
        setFormError({ step: "where", message });
        goTo("where", "alert");
        return;
      }
    }
    setFormError({ step: "details", message });
    focusNext.current = "alert";
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (create.isPending) return;
    setFormError(null);
    if (step === "where") {
      if (!whereDone) {
        fail({ target: draft.target ? "This cloud account can't be used now: choose another." : "Choose where your assistant runs." });
        return;
      }
      goTo(local ? "details" : "size");
      return;
    }
    if (step === "size") {
      const next: DraftErrors = {
        region: !draft.region
          ? "Choose a region."
          : region && !region.available
            ? "This region isn't open for new servers: choose another."
            : undefined,
        size: !draft.size
          ? "Choose a size."
          : size && !sizeUsable(size, draft.region)
            ? "This size can't be used here: choose another."
            : undefined,
      };
      if (hasErrors(next)) fail(next);
      else goTo("details");
      return;
    }
    const next: DraftErrors = {
      name: validateName(name),
      openclawVersion: draft.version === "exact" ? validateVersion(draft.exactVersion) : undefined,
    };
    if (hasErrors(next)) {
      fail(next);
      return;
    }
    create.mutate(requestBody(draft, name, usable), {
      onSuccess: (created) => {
        navigate(`/instances/${encodeURIComponent(created.id)}`, {
          state: flashState(`instance:${created.id}`, "Deploy started."),
        });
      },
      onError: onServerError,
    });
  }

  function back() {
    setFormError(null);
    goTo(step === "details" && !local ? "size" : "where");
  }

  const items: StepperItem[] = STEP_IDS.map((id) => {
    const done = id === "where" ? whereDone : id === "size" ? sizeDone && !local : false;
    const skipped = id === "size" && local;
    const reachable = id === "where" || (id === "size" ? whereDone : whereDone && sizeDone);
    let value: string | null = null;
    if (id === "where") value = local ? "This machine" : usable ? `${providerName(usable.provider)} · ${usable.label}` : null;
    if (id === "size") value = skipped ? "Not needed" : sizeDone ? `${region?.name ?? draft.region} · ${draft.size}` : null;
    return {
      id,
      label: TEXT[id].label,
      value,
      state: id === step ? "current" : skipped ? "skipped" : done ? "done" : "upcoming",
      reachable,
    };
  });

  const description =
    step === "where"
      ? "On this machine to try it out, or on a new server in one of your cloud accounts."
      : step === "size"
        ? `The server is created in your ${usable ? providerName(usable.provider) : "cloud"} account${usable ? ` “${usable.label}”` : ""}. Nothing is created until you press Deploy.`
        : "Check the summary, then deploy. It takes a few minutes, and you can follow every step.";

  return (
    <>
      <Stepper items={items} onOpen={(id) => (id === step ? headingRef.current?.focus() : goTo(id))} />
      <form ref={formRef} className={`deploy-layout deploy-step-${step}`} onSubmit={onSubmit} noValidate>
        <section className="card deploy-panel" aria-labelledby={headingId}>
          <div className="deploy-panel-head">
            <h2 id={headingId} ref={headingRef} tabIndex={-1} className="deploy-step-title">
              {TEXT[step].title}
            </h2>
            <p className="deploy-step-desc">{description}</p>
          </div>
          <FormAlert ref={alertRef}>{formError?.step === step ? formError.message : null}</FormAlert>
          <fieldset className="deploy-lock" disabled={create.isPending}>
            {step === "where" ? (
              <WhereStep
                value={draft.target}
                onChange={onTarget}
                credentials={credentials.data}
                credentialsError={credentials.error}
                onRetryCredentials={() => void credentials.refetch()}
                emailVerified={user.emailVerified}
                email={user.email}
                error={errors.target}
                errorId={errorIds.target}
                labelledBy={headingId}
              />
            ) : step === "size" && usable ? (
              <SizeStep
                credential={usable}
                regions={{ data: regions.data, error: regions.error, retry: () => void regions.refetch() }}
                sizes={{ data: sizes.data, error: sizes.error, retry: () => void sizes.refetch() }}
                region={draft.region}
                size={draft.size}
                onRegion={onRegion}
                onSize={(id) => update({ size: id }, ["size"])}
                errors={errors}
                errorIds={errorIds}
              />
            ) : (
              <DetailsStep
                draft={draft}
                name={name}
                onName={(value) => update({ name: value }, ["name"])}
                onChange={(patch) => update(patch, ["openclawVersion"])}
                credential={usable}
                errors={errors}
              />
            )}
          </fieldset>
        </section>
        <DeploySummary
          draft={draft}
          name={name}
          credential={usable}
          region={region}
          size={size}
          className={step === "details" ? "" : "deploy-summary-early"}
        />
        <div className="deploy-actions">
          {step === "where" ? (
            <Link href="/instances" className="btn btn-ghost">
              Cancel
            </Link>
          ) : (
            <button type="button" className="btn btn-secondary" onClick={back} disabled={create.isPending}>
              <IconArrowLeft /> Back
            </button>
          )}
          {step === "details" ? (
            <SubmitButton pending={create.isPending} pendingLabel="Deploying…">
              <span className="btn-content">
                <IconRocket /> Deploy
              </span>
            </SubmitButton>
          ) : (
            <button type="submit" className="btn btn-primary">
              Next <IconArrowRight />
            </button>
          )}
          <p className="visually-hidden" role="status" aria-live="polite">
            {create.isPending ? "Starting the deploy…" : null}
          </p>
        </div>
      </form>
    </>
  );
}

export default function DeployPage() {
  useDocumentTitle("Deploy your assistant");
  const { user } = useSession();
  const search = new URLSearchParams(useSearch());
  const from = search.get("from");
  const source = useInstance(from);

  const header = (
    <>
      <Link href={from ? `/instances/${encodeURIComponent(from)}` : "/instances"} className="back-link">
        <IconArrowLeft /> {from ? "Back to the instance" : "Instances"}
      </Link>
      <PageHeader
        title={from ? "Deploy again" : "Deploy your assistant"}
        description="Your own OpenClaw assistant, on a machine you control. Nothing is created until you press Deploy."
      />
    </>
  );

  if (from && source.isPending) {
    return (
      <>
        {header}
        <LoadingList label="Loading the choices of the earlier deploy…" rows={2} />
      </>
    );
  }
  const copied = from && source.data ? draftFrom(source.data) : null;
  return (
    <>
      {header}
      {from && source.data ? (
        <div className="deploy-notice deploy-notice-info">
          <IconRefresh className="deploy-notice-icon" />
          <p>
            The choices of <strong>“{source.data.name}”</strong> are filled in. Check them, change what you like, and deploy.
          </p>
        </div>
      ) : null}
      {from && source.isError ? (
        <FormAlert>{`We couldn't load the earlier deploy's choices: ${errorMessage(source.error)} Start from scratch below.`}</FormAlert>
      ) : null}
      <DeployWizard key={from ?? "new"} user={user} from={source.data ? from : null} prefill={copied} stepParam={search.get("step")} />
    </>
  );
}
