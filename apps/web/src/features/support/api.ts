import type { GrantSupportAccess, SupportAccess } from "@clawcloud/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api";
import { instanceKey } from "../instances/api";

export type { SupportAccess };

export const supportKey = (instanceId: string) => ["instances", instanceId, "support-access"] as const;
const path = (instanceId: string) => `/api/v1/instances/${encodeURIComponent(instanceId)}/support-access`;

/**
 * The current support access. Re-read only while a grant runs (at its expiry at the latest, so the
 * page turns back to "No one but you" on time); otherwise it changes only by this page's own actions.
 */
export function useSupportAccess(instanceId: string) {
  return useQuery({
    queryKey: supportKey(instanceId),
    queryFn: ({ signal }) => api.get<SupportAccess>(path(instanceId), signal),
    refetchOnWindowFocus: false,
    refetchInterval: (query) => {
      const access = query.state.data;
      if (!access?.active || !access.grant) return false;
      return Math.min(60_000, Math.max(1_000, Date.parse(access.grant.expiresAt) - Date.now() + 1_000));
    },
  });
}

function useSupportMutation<A>(instanceId: string, request: (arg: A) => Promise<SupportAccess>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: (access) => {
      queryClient.setQueryData(supportKey(instanceId), access);
      // The timeline gained an event.
      void queryClient.invalidateQueries({ queryKey: instanceKey(instanceId), exact: true });
    },
  });
}

export const useGrantSupport = (instanceId: string) =>
  useSupportMutation(instanceId, (body: GrantSupportAccess) => api.post<SupportAccess>(path(instanceId), body));

export const useRevokeSupport = (instanceId: string) =>
  useSupportMutation(instanceId, () => api<SupportAccess>(path(instanceId), { method: "DELETE" }));
