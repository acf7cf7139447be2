import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocation } from "wouter";
import { ApiError, api } from "../../lib/api";
import type { Me } from "./types";

export const meQueryKey = ["me"] as const;

/** The signed-in person, or null when there is no session (401). Other failures are errors. */
export async function fetchMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    return await api.get<Me>("/api/v1/me", signal);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: 30_000,
  });
}

/** For components rendered inside <RequireSession>, where the session is known to exist. */
export function useSession(): Me {
  const { data } = useMe();
  if (!data) throw new Error("useSession() used outside <RequireSession>");
  return data;
}

export function useSignOut() {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  return useMutation({
    mutationFn: () => api.post<unknown>("/api/auth/sign-out", {}),
    onSuccess: () => {
      navigate("/sign-in");
      queryClient.removeQueries();
      queryClient.setQueryData(meQueryKey, null);
    },
  });
}

export function useResendVerification() {
  return useMutation({
    mutationFn: (email: string) => api.post<unknown>("/api/auth/send-verification-email", { email, callbackURL: "/instances" }),
  });
}

/**
 * After sign-in / sign-up: load /api/v1/me into the cache. <GuestOnly> then sends the person on.
 * If the session cookie did not stick, say so instead of silently staying on the form.
 */
export function useEstablishSession() {
  const queryClient = useQueryClient();
  return async () => {
    const me = await queryClient.fetchQuery({ queryKey: meQueryKey, queryFn: ({ signal }) => fetchMe(signal), staleTime: 0 });
    if (!me) {
      throw new ApiError(
        0,
        "SESSION_NOT_KEPT",
        "You're signed in, but your browser didn't keep the session. Allow cookies for this site and try again.",
      );
    }
    return me;
  };
}
