import type { ApiToken } from "@clawcloud/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api";

export type CreatedApiToken = ApiToken & { token: string };

const apiTokensKey = ["api-tokens"] as const;

export function useApiTokens() {
  return useQuery({
    queryKey: apiTokensKey,
    queryFn: ({ signal }) => api.get<{ items: ApiToken[] }>("/api/v1/api-tokens", signal),
    select: (data) => data.items,
  });
}

export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; expiresInDays?: number }) => api.post<CreatedApiToken>("/api/v1/api-tokens", body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: apiTokensKey }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/v1/api-tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: apiTokensKey }),
  });
}

/** Snippets for the OpenAI-compatible endpoint of one instance. The token is only in memory. */
export function apiSnippets(origin: string, instanceId: string, token: string): { curl: string; python: string } {
  const baseUrl = `${origin}/api/v1/instances/${instanceId}/openai/v1`;
  const curl = [
    `curl ${baseUrl}/chat/completions \\`,
    `  -H "Authorization: Bearer ${token}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"model": "openclaw/default", "messages": [{"role": "user", "content": "Hello"}]}'`,
  ].join("\n");
  const python = [
    "from openai import OpenAI",
    "",
    `client = OpenAI(base_url="${baseUrl}", api_key="${token}")`,
    'reply = client.chat.completions.create(model="openclaw/default", messages=[{"role": "user", "content": "Hello"}])',
    "print(reply.choices[0].message.content)",
  ].join("\n");
  return { curl, python };
}
