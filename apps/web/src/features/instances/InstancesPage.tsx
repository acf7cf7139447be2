import { useEffect, useState } from "react";
import { Link } from "wouter";
import { takeFlash } from "../../lib/flash";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { FormAlert } from "../../ui/FormAlert";
import { IconArrowRight, IconPlus } from "../../ui/icons";
import { PageHeader } from "../../ui/PageHeader";
import { EmptyState, ErrorState, LoadingList } from "../../ui/States";
import { useInstances } from "./api";
import { EmptyInstancesIllustration } from "./EmptyIllustration";
import { InstanceTable } from "./InstanceTable";

export default function InstancesPage() {
  useDocumentTitle("Instances");
  const instances = useInstances();
  const hasItems = (instances.data?.length ?? 0) > 0;
  const [notice, setNotice] = useState<string | null>(null);
  // After mount, so the live region announces it.
  useEffect(() => {
    const message = takeFlash("instances");
    if (message) setNotice(message);
  }, []);

  return (
    <>
      <PageHeader
        title="Instances"
        description="Each instance is your own OpenClaw assistant, running on a server you control."
        actions={
          hasItems ? (
            <Link href="/deploy" className="btn btn-primary">
              <IconPlus /> Deploy
            </Link>
          ) : null
        }
      />
      <div className="page-notice">
        <FormAlert tone="success">{notice}</FormAlert>
      </div>
      {instances.isPending ? (
        <LoadingList label="Loading instances…" />
      ) : instances.isError ? (
        <ErrorState title="We couldn't load your instances" error={instances.error} onRetry={() => void instances.refetch()} />
      ) : hasItems ? (
        <InstanceTable instances={instances.data} />
      ) : (
        <EmptyState
          illustration={<EmptyInstancesIllustration />}
          title="No assistants yet"
          actions={
            <Link href="/deploy" className="btn btn-primary btn-lg">
              Deploy your assistant <IconArrowRight />
            </Link>
          }
        >
          <p>
            Deploy OpenClaw to this machine to try it now, or to a server in your own cloud account. It takes a couple of minutes, and you
            keep full control.
          </p>
        </EmptyState>
      )}
    </>
  );
}
