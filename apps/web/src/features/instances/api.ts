import type { InstanceSummary } from "@clawcloud/contracts";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../lib/api";

export type Instance = InstanceSummary;

export function useInstances() {
  return useQuery({
    queryKey: ["instances"],
    queryFn: ({ signal }) => api.get<{ items: Instance[] }>("/api/v1/instances", signal),
    select: (data) => data.items,
  });
}
