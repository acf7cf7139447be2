import type { CredentialSummary } from "@clawcloud/contracts";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../lib/api";

export type CloudCredential = CredentialSummary;

export function useCredentials() {
  return useQuery({
    queryKey: ["credentials"],
    queryFn: ({ signal }) => api.get<{ items: CloudCredential[] }>("/api/v1/credentials", signal),
    select: (data) => data.items,
  });
}
