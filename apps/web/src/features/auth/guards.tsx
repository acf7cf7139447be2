import type { ReactNode } from "react";
import { Redirect, useLocation, useSearch } from "wouter";
import { FullPageError, FullPageLoading } from "../../app/FullPage";
import { safeNext } from "../../lib/safeNext";
import { useMe } from "./session";

/** App pages: no session → /sign-in?next=<here>. */
export function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const [location] = useLocation();
  const search = useSearch();
  if (me.isPending) return <FullPageLoading />;
  if (me.isError && me.data === undefined) return <FullPageError error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) {
    const here = `${location}${search ? `?${search}` : ""}`;
    return <Redirect to={`/sign-in?next=${encodeURIComponent(here)}`} replace />;
  }
  return <>{children}</>;
}

/** Sign-in / sign-up: already signed in → where they were going. */
export function GuestOnly({ children }: { children: ReactNode }) {
  const me = useMe();
  const next = safeNext(new URLSearchParams(useSearch()).get("next"));
  if (me.isPending) return <FullPageLoading />;
  if (me.data) return <Redirect to={next} replace />;
  return <>{children}</>;
}

export function RootRedirect() {
  const me = useMe();
  if (me.isPending) return <FullPageLoading />;
  if (me.isError && me.data === undefined) return <FullPageError error={me.error} onRetry={() => void me.refetch()} />;
  return <Redirect to={me.data ? "/instances" : "/sign-in"} replace />;
}
