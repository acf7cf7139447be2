import { CHAT_PROTOCOL, type ChatRequest, type ChatServerMessage } from "@clawcloud/contracts";
import { useEffect, useRef, useState } from "react";

export type ChatEvent = Extract<ChatServerMessage, { type: "chat" }>;
export type ChatStatus = Extract<ChatServerMessage, { type: "status" }>;
/** `lost`: closed unexpectedly, reconnecting; `gone`: no such instance; `signed-out`: session ended. */
export type Connection = "connecting" | "open" | "lost" | "gone" | "signed-out";

/** A failed request: the server's code, or CONNECTION_LOST / TIMEOUT from this side. */
export class ChatRequestError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ChatRequestError";
    this.code = code;
  }
}

type RequestBody = ChatRequest extends infer R ? (R extends { id: string } ? Omit<R, "id"> : never) : never;

interface Listeners {
  onChat: (event: ChatEvent) => void;
  onSessionsChanged: () => void;
  /** After the socket (re)opens: fetch the list and the open conversation again. */
  onOpen: (reconnected: boolean) => void;
}

const REQUEST_TIMEOUT_MS = 60_000;
const MAX_BACKOFF_MS = 15_000;

/** Exponential backoff with jitter, so a restarted server isn't hit by every tab at once. */
export function backoffDelay(attempt: number): number {
  const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt);
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/**
 * One chat socket per instance page: requests matched to replies by id, chat events to the
 * listeners, reconnection with backoff when the socket closes for any reason but "no such
 * instance" (4404) or "signed out" (4401).
 */
export function useChatSocket(instanceId: string | null, listeners: Listeners) {
  const [connection, setConnection] = useState<Connection>("connecting");
  const [status, setStatus] = useState<ChatStatus | null>(null);
  const listenersRef = useRef(listeners);
  listenersRef.current = listeners;
  const socketRef = useRef<WebSocket | null>(null);
  const pending = useRef(
    new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>(),
  );
  const seq = useRef(0);

  useEffect(() => {
    if (!instanceId) return;
    let attempt = 0;
    let stopped = false;
    let everOpened = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const failAll = () => {
      for (const [id, p] of pending.current) {
        clearTimeout(p.timer);
        p.reject(new ChatRequestError("CONNECTION_LOST", "The connection was lost before the instance answered."));
        pending.current.delete(id);
      }
    };
    const connect = () => {
      const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
      const ws = new WebSocket(`${scheme}//${window.location.host}/api/v1/instances/${encodeURIComponent(instanceId)}/chat`, CHAT_PROTOCOL);
      socketRef.current = ws;
      ws.onopen = () => {
        attempt = 0;
        setConnection("open");
        listenersRef.current.onOpen(everOpened);
        everOpened = true;
      };
      ws.onmessage = (event) => {
        let message: ChatServerMessage;
        try {
          message = JSON.parse(String(event.data)) as ChatServerMessage;
        } catch {
          return;
        }
        if (message.type === "reply") {
          const p = pending.current.get(message.id);
          if (!p) return;
          pending.current.delete(message.id);
          clearTimeout(p.timer);
          if (message.ok) p.resolve(message.result);
          else
            p.reject(
              new ChatRequestError(message.error?.code ?? "GATEWAY_ERROR", message.error?.message ?? "The instance couldn't do that."),
            );
        } else if (message.type === "chat") listenersRef.current.onChat(message);
        else if (message.type === "sessions.changed") listenersRef.current.onSessionsChanged();
        else if (message.type === "status") setStatus(message);
      };
      ws.onclose = (event) => {
        if (socketRef.current === ws) socketRef.current = null;
        failAll();
        // What the instance said is stale now; a reconnect brings a fresh status.
        setStatus(null);
        if (stopped) return;
        if (event.code === 4404) return setConnection("gone");
        if (event.code === 4401) return setConnection("signed-out");
        setConnection(everOpened ? "lost" : "connecting");
        retryTimer = setTimeout(connect, backoffDelay(attempt++));
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      socketRef.current?.close(1000);
      socketRef.current = null;
      failAll();
      setStatus(null);
      setConnection("connecting");
    };
  }, [instanceId]);

  const request = <T>(body: RequestBody): Promise<T> => {
    const ws = socketRef.current;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new ChatRequestError("CONNECTION_LOST", "Not connected to your instance right now."));
    }
    const id = `r${++seq.current}`;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.current.delete(id);
        reject(new ChatRequestError("TOO_SLOW", "Your instance took too long to answer."));
      }, REQUEST_TIMEOUT_MS);
      pending.current.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ ...body, id }));
    });
  };

  return { connection, status, request };
}

/** A new OpenClaw session key for a conversation started here. */
export function newSessionKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return `agent:main:web-${Array.from(bytes, (b) => (b % 36).toString(36)).join("")}`;
}
