import type { CredentialSummary, Provider, ProviderGuide } from "@clawcloud/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api";

export type CloudCredential = CredentialSummary;
export type ProviderId = Provider;
/** How to create a credential at one provider, and the least it needs (GET /api/v1/providers). */
export type { ProviderGuide };

export interface Region {
  id: string;
  name: string;
  location?: string;
  available: boolean;
}

export interface Size {
  id: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  priceMonthlyCents: number;
  currency: "USD" | "EUR";
  regions: string[];
}

export type AwsSecretInput =
  | { roleArn: string; externalId: string; region?: string }
  | { accessKeyId: string; secretAccessKey: string; region?: string };

export type AzureSecretInput = { tenantId: string; clientId: string; clientSecret: string; subscriptionId: string; resourceGroup: string };

export interface CreateCredentialInput {
  provider: ProviderId;
  label: string;
  /** A token; AWS's role or keys; Azure's service principal; GCP's service account key (parsed JSON). */
  secret: string | AwsSecretInput | AzureSecretInput | Record<string, unknown>;
  deleteAfterProvisioning?: boolean;
}

const credentialsKey = ["credentials"] as const;

export function useProviders() {
  return useQuery({
    queryKey: ["providers"],
    queryFn: ({ signal }) => api.get<{ items: ProviderGuide[] }>("/api/v1/providers", signal),
    select: (data) => data.items,
    staleTime: 10 * 60_000,
  });
}

/** This workspace's AWS role set-up: the external ID Claw Cloud issues (the user cannot choose it). */
export function useAwsSetup(enabled: boolean) {
  return useQuery({
    queryKey: ["aws-setup"],
    queryFn: ({ signal }) =>
      api.get<{ externalId: string; trustedAccountId: string | null; trustPolicy: unknown }>("/api/v1/credentials/aws-setup", signal),
    staleTime: Number.POSITIVE_INFINITY,
    enabled,
  });
}

export function useCredentials() {
  return useQuery({
    queryKey: credentialsKey,
    queryFn: ({ signal }) => api.get<{ items: CloudCredential[] }>("/api/v1/credentials", signal),
    select: (data) => data.items,
  });
}

function replaceInList(updated: CloudCredential) {
  return (old: { items: CloudCredential[] } | undefined) =>
    old ? { items: old.items.map((c) => (c.id === updated.id ? updated : c)) } : old;
}

/**
 * Adds a cloud account. The secret is never passed as mutation variables (React Query keeps those
 * in its cache): `take()` hands it over once, straight into the request body.
 */
export function useCreateCredential(take: () => CreateCredentialInput | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => {
      const body = take();
      if (!body) return Promise.reject(new Error("nothing to submit"));
      return api.post<CloudCredential>("/api/v1/credentials", body);
    },
    onSuccess: (created) => {
      queryClient.setQueryData<{ items: CloudCredential[] }>(credentialsKey, (old) => (old ? { items: [...old.items, created] } : old));
      void queryClient.invalidateQueries({ queryKey: credentialsKey, exact: true });
    },
  });
}

export function useVerifyCredential() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<CloudCredential>(`/api/v1/credentials/${encodeURIComponent(id)}/verify`),
    onSuccess: (updated) => {
      queryClient.setQueryData(credentialsKey, replaceInList(updated));
      // A re-check may change what the account can reach.
      void queryClient.invalidateQueries({ queryKey: ["credentials", updated.id] });
    },
  });
}

export function useDeleteCredential() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/v1/credentials/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: (_, id) => {
      queryClient.setQueryData<{ items: CloudCredential[] }>(credentialsKey, (old) =>
        old ? { items: old.items.filter((c) => c.id !== id) } : old,
      );
      queryClient.removeQueries({ queryKey: ["credentials", id] });
      void queryClient.invalidateQueries({ queryKey: credentialsKey, exact: true });
    },
  });
}

export function useRegions(id: string, enabled = true) {
  return useQuery({
    queryKey: ["credentials", id, "regions"],
    queryFn: ({ signal }) => api.get<{ items: Region[] }>(`/api/v1/credentials/${encodeURIComponent(id)}/regions`, signal),
    select: (data) => data.items,
    enabled,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export function useSizes(id: string, enabled = true) {
  return useQuery({
    queryKey: ["credentials", id, "sizes"],
    queryFn: ({ signal }) => api.get<{ items: Size[] }>(`/api/v1/credentials/${encodeURIComponent(id)}/sizes`, signal),
    select: (data) => data.items,
    enabled,
    staleTime: 5 * 60_000,
    retry: false,
  });
}
