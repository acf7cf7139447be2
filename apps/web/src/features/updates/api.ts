import type { InstanceOperation, ReleaseNotes, Rollout } from "@clawcloud/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api";
import { instanceKey } from "../instances/api";

const path = (id: string, what: string) => `/api/v1/instances/${encodeURIComponent(id)}/${what}`;

/** Update, rollback and pin: each refreshes the instance (its operation and timeline) afterwards. */
function useInstanceAction<A>(id: string, run: (arg: A) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => queryClient.invalidateQueries({ queryKey: instanceKey(id) }),
  });
}

export const useUpdateInstance = (id: string) =>
  useInstanceAction(id, (version: string | undefined) => api.post<InstanceOperation>(path(id, "update"), version ? { version } : {}));
export const useRollbackInstance = (id: string) => useInstanceAction(id, () => api.post<InstanceOperation>(path(id, "rollback")));
export const usePinInstance = (id: string) =>
  useInstanceAction(id, (version: string | null) =>
    api<{ pinnedVersion: string | null }>(path(id, "pin"), { method: "PUT", body: { version } }),
  );

export function useReleaseNotes(version: string, enabled: boolean) {
  return useQuery({
    queryKey: ["openclaw-release", version],
    queryFn: ({ signal }) => api.get<ReleaseNotes>(`/api/v1/openclaw/releases/${encodeURIComponent(version)}`, signal),
    enabled,
    staleTime: 3_600_000,
  });
}

export const rolloutsKey = ["rollouts"] as const;

export function useRollouts() {
  return useQuery({
    queryKey: rolloutsKey,
    queryFn: ({ signal }) => api.get<{ items: Rollout[] }>("/api/v1/admin/rollouts", signal),
    select: (d) => d.items,
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === "running") ? 5000 : false),
  });
}

export function useRolloutAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (a: { kind: "create"; targetVersion: string; bakeSeconds: number } | { kind: "pause" | "resume"; id: string }) =>
      a.kind === "create"
        ? api.post<Rollout>("/api/v1/admin/rollouts", { targetVersion: a.targetVersion, bakeSeconds: a.bakeSeconds })
        : api.post<Rollout>(`/api/v1/admin/rollouts/${encodeURIComponent(a.id)}/${a.kind}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: rolloutsKey }),
  });
}
