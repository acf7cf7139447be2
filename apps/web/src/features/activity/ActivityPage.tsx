import { useState } from "react";
import { formatDateTime } from "../../lib/format";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { IconShield } from "../../ui/icons";
import { PageHeader } from "../../ui/PageHeader";
import { Spinner } from "../../ui/Spinner";
import { EmptyState, ErrorState, LoadingList } from "../../ui/States";
import { useMe } from "../auth/session";
import { ActivityFiltersForm } from "./ActivityFiltersForm";
import { type ActivityFilters, csvUrl, emptyFilters, useActivity } from "./api";
import { ACTION_LABELS, actorOf, detailsOf } from "./describe";

export default function ActivityPage() {
  useDocumentTitle("Activity");
  const me = useMe().data?.user;
  const [filters, setFilters] = useState<ActivityFilters>(emptyFilters);
  const activity = useActivity(filters);
  const items = activity.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.values(filters).some(Boolean);

  return (
    <>
      <PageHeader
        title="Activity"
        description="Everything done in your workspace: sign-ins, cloud accounts, deploys and support access. The log is tamper-evident and cannot be edited — not even by us."
        actions={
          <a className="btn btn-secondary" href={csvUrl(filters)} download>
            Download CSV
          </a>
        }
      />
      <ActivityFiltersForm value={filters} onChange={setFilters} me={me ? { id: me.id, email: me.email } : undefined} />
      {activity.isPending ? (
        <LoadingList label="Loading activity…" rows={5} />
      ) : activity.isError ? (
        <ErrorState title="We couldn't load the activity log" error={activity.error} onRetry={() => void activity.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          illustration={<IconShield width={48} height={48} />}
          title={filtered ? "Nothing matches these filters" : "No activity yet"}
        >
          <p>{filtered ? "Try another action, person or date range." : "What you and Claw Cloud do in this workspace will appear here."}</p>
        </EmptyState>
      ) : (
        <div className="card activity-card">
          <table className="activity-table">
            <caption className="visually-hidden">Activity in your workspace, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
                <th scope="col">Details</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id} className={e.action === "auth.sign_in_failed" ? "activity-warn" : undefined}>
                  <td data-label="When">
                    <time dateTime={e.createdAt}>{formatDateTime(e.createdAt)}</time>
                  </td>
                  <td data-label="What">{ACTION_LABELS[e.action] ?? e.action}</td>
                  <td data-label="Who" className="activity-actor">
                    {actorOf(e)}
                  </td>
                  <td data-label="Details" className="activity-details">
                    {detailsOf(e) || "—"}
                  </td>
                  <td data-label="From" className="activity-ip">
                    {e.ip ?? "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {activity.hasNextPage ? (
            <div className="activity-more">
              <button
                type="button"
                className="btn btn-secondary"
                disabled={activity.isFetchingNextPage}
                onClick={() => void activity.fetchNextPage()}
              >
                {activity.isFetchingNextPage ? <Spinner /> : null} Show older activity
              </button>
            </div>
          ) : null}
        </div>
      )}
    </>
  );
}
