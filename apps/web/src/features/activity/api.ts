import type { AuditAction, AuditEntry, AuditList } from "@clawcloud/contracts";
import { useInfiniteQuery } from "@tanstack/react-query";
import { api } from "../../lib/api";

export type { AuditAction, AuditEntry };

export interface ActivityFilters {
  action: AuditAction | "";
  /** "" (anyone), "system", or a user id. */
  actor: string;
  /** yyyy-mm-dd, local days. */
  from: string;
  to: string;
}

export const emptyFilters: ActivityFilters = { action: "", actor: "", from: "", to: "" };

/** The query string of the list and the CSV export: local days become instants. */
export function filterQuery(f: ActivityFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.action) q.set("action", f.action);
  if (f.actor) q.set("actor", f.actor);
  if (f.from) q.set("from", new Date(`${f.from}T00:00:00`).toISOString());
  if (f.to) {
    const end = new Date(`${f.to}T00:00:00`);
    end.setDate(end.getDate() + 1); // the whole "to" day
    q.set("to", end.toISOString());
  }
  return q;
}

export function csvUrl(f: ActivityFilters): string {
  const q = filterQuery(f).toString();
  return `/api/v1/audit-log.csv${q ? `?${q}` : ""}`;
}

export function useActivity(f: ActivityFilters) {
  return useInfiniteQuery({
    queryKey: ["audit-log", f],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const q = filterQuery(f);
      q.set("limit", "50");
      if (pageParam) q.set("cursor", pageParam);
      return api.get<AuditList>(`/api/v1/audit-log?${q}`, signal);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}
