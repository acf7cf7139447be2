import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { meQueryKey } from "../features/auth/session";
import { ApiError } from "../lib/api";

function retry(failureCount: number, error: unknown): boolean {
  // Client errors won't fix themselves; network hiccups and 5xx get two more tries.
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: { queries: { retry, staleTime: 10_000 }, mutations: { retry: false } },
    // A session that ends while a page is open (expiry, sign-out elsewhere): drop to sign-in.
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (error instanceof ApiError && error.status === 401 && query.queryKey[0] !== meQueryKey[0]) {
          client.setQueryData(meQueryKey, null);
        }
      },
    }),
    mutationCache: new MutationCache({
      onError: (error) => {
        if (error instanceof ApiError && error.code === "UNAUTHENTICATED") client.setQueryData(meQueryKey, null);
      },
    }),
  });
  return client;
}
