import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { fetchInstance, type InstanceDetail, instanceKey } from "./api";
import { serverLeft } from "./progress";
import { isBusy } from "./states";

/**
 * How the page hears about changes: "live" over the event stream; "connecting" while it opens;
 * "lost" when it dropped (the page polls every 2 s meanwhile and the stream reconnects);
 * "idle" when there is nothing left to follow.
 */
export type Connection = "connecting" | "live" | "lost" | "idle";

const POLL_MS = 2000;
const RECONNECT_MS = 5000;
/** A ready or failed instance changes slowly (heartbeats, a failed deploy's cleanup). */
const SETTLED_POLL_MS = 15_000;

/** A failed deploy whose server is still being deleted: its clean-up event is still to come. */
function cleanupPending(i: InstanceDetail): boolean {
  if (i.provider === "local" || i.keepOnFailure) return false;
  return serverLeft(i.events);
}

function settledPoll(i: InstanceDetail): number | false {
  // An update or rollback runs while the instance stays ready: its steps are followed by polling.
  if (i.operation?.status === "running") return POLL_MS;
  if (i.state === "failed") return cleanupPending(i) ? 5000 : false;
  return SETTLED_POLL_MS;
}

/**
 * One instance, kept current: the stream (Server-Sent Events) while it deploys or is deleted, with
 * polling as the fallback when the stream drops, and a slow poll once it has settled.
 */
export function useLiveInstance(id: string) {
  const queryClient = useQueryClient();
  const [connection, setConnection] = useState<Connection>("connecting");
  const [gone, setGone] = useState(false);
  const [attempt, setAttempt] = useState(0);

  const query = useQuery({
    queryKey: instanceKey(id),
    queryFn: ({ signal }) => fetchInstance(id, signal),
    refetchInterval: (q) => {
      const data = q.state.data;
      if (gone || !data) return false;
      if (isBusy(data.state)) return connection === "lost" ? POLL_MS : false;
      return settledPoll(data);
    },
    // While the stream is down, a failed poll is tried again by the interval.
    refetchIntervalInBackground: false,
  });

  const follow = query.data ? isBusy(query.data.state) && !gone : false;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new `attempt` opens a new stream after the server refused one
  useEffect(() => {
    if (!follow) {
      setConnection("idle");
      return;
    }
    if (typeof EventSource === "undefined") {
      setConnection("lost"); // no streams here: poll
      return;
    }
    setConnection((c) => (c === "lost" ? "lost" : "connecting"));
    const source = new EventSource(`/api/v1/instances/${encodeURIComponent(id)}/stream`);
    let retry: number | undefined;
    source.addEventListener("open", () => setConnection("live"));
    source.addEventListener("instance", (event) => {
      let next: InstanceDetail;
      try {
        next = JSON.parse((event as MessageEvent<string>).data) as InstanceDetail;
      } catch {
        return; // a garbled message: the next one, or the poll, brings the state
      }
      queryClient.setQueryData(instanceKey(id), next);
      setConnection("live");
      // The server ends the stream once the instance settles; close first, so the browser does
      // not reconnect.
      if (!isBusy(next.state)) source.close();
    });
    source.addEventListener("gone", () => {
      source.close();
      setGone(true);
    });
    source.addEventListener("error", () => {
      setConnection("lost");
      // CONNECTING: the browser retries by itself. CLOSED (the server answered with an error):
      // open a new one a little later.
      if (source.readyState === EventSource.CLOSED) retry = window.setTimeout(() => setAttempt((a) => a + 1), RECONNECT_MS);
    });
    return () => {
      source.close();
      if (retry !== undefined) window.clearTimeout(retry);
    };
  }, [id, follow, attempt, queryClient]);

  return { query, connection, gone };
}
