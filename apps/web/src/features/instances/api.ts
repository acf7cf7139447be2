import type {
  Instance as BaseInstance,
  CreateInstance,
  InstanceDetail as FullInstance,
  InstanceMetrics,
  InstanceSummary,
  MetricsRange,
} from "@clawcloud/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api";
import { isBusy } from "./states";

export type Instance = InstanceSummary;
export type { CreateInstance };
/** GET answers with the update fields; create/retry/delete answer without them (until refetched). */
export type InstanceDetail = BaseInstance & Partial<Omit<FullInstance, keyof BaseInstance>>;
export type InstanceEvent = InstanceDetail["events"][number];

export const instancesKey = ["instances"] as const;
export const instanceKey = (id: string) => ["instances", id] as const;

/** The list; polled while an instance in it is still deploying or being deleted. */
export function useInstances() {
  return useQuery({
    queryKey: instancesKey,
    queryFn: ({ signal }) => api.get<{ items: Instance[] }>("/api/v1/instances", signal),
    select: (data) => data.items,
    refetchInterval: (query) => (query.state.data?.items.some((i) => isBusy(i.state)) ? 3000 : false),
  });
}

export function fetchInstance(id: string, signal?: AbortSignal) {
  return api.get<InstanceDetail>(`/api/v1/instances/${encodeURIComponent(id)}`, signal);
}

export function useInstance(id: string | null, options: { refetchInterval?: number | false } = {}) {
  return useQuery({
    queryKey: instanceKey(id ?? ""),
    queryFn: ({ signal }) => fetchInstance(id ?? "", signal),
    enabled: id !== null,
    refetchInterval: options.refetchInterval ?? false,
  });
}

function summaryOf(i: InstanceDetail): Instance {
  return { id: i.id, name: i.name, provider: i.provider, state: i.state, createdAt: i.createdAt };
}

export function useCreateInstance() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateInstance) => api.post<InstanceDetail>("/api/v1/instances", body),
    onSuccess: (created) => {
      queryClient.setQueryData(instanceKey(created.id), created);
      queryClient.setQueryData<{ items: Instance[] }>(instancesKey, (old) =>
        old ? { items: [summaryOf(created), ...old.items.filter((i) => i.id !== created.id)] } : old,
      );
      void queryClient.invalidateQueries({ queryKey: instancesKey, exact: true });
    },
  });
}

/** Runs a failed deploy again on the same instance (a server left by the failed attempt is adopted). */
export function useRetryInstance() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<InstanceDetail>(`/api/v1/instances/${encodeURIComponent(id)}/retry`),
    onSuccess: (updated) => {
      queryClient.setQueryData(instanceKey(updated.id), updated);
      queryClient.setQueryData<{ items: Instance[] }>(instancesKey, (old) =>
        old ? { items: old.items.map((i) => (i.id === updated.id ? summaryOf(updated) : i)) } : old,
      );
      void queryClient.invalidateQueries({ queryKey: instancesKey, exact: true });
    },
  });
}

export function useDeleteInstance() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<InstanceDetail>(`/api/v1/instances/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: (updated) => {
      queryClient.setQueryData(instanceKey(updated.id), updated);
      queryClient.setQueryData<{ items: Instance[] }>(instancesKey, (old) =>
        old ? { items: old.items.map((i) => (i.id === updated.id ? summaryOf(updated) : i)) } : old,
      );
      void queryClient.invalidateQueries({ queryKey: instancesKey, exact: true });
    },
  });
}

export type { InstanceMetrics, MetricPoint, MetricsRange } from "@clawcloud/contracts";

/** The instance's metrics over a range; refreshed every minute (one point per minute at most). */
export function useInstanceMetrics(id: string, range: MetricsRange) {
  return useQuery({
    queryKey: ["instances", id, "metrics", range] as const,
    queryFn: ({ signal }) =>
      api.get<InstanceMetrics>(`/api/v1/instances/${encodeURIComponent(id)}/metrics?range=${encodeURIComponent(range)}`, signal),
    refetchInterval: 60_000,
    placeholderData: (previous) => previous,
  });
}
