import type { ChatMessage, ChatSession } from "@clawcloud/contracts";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { Link, useLocation } from "wouter";
import { ApiError } from "../../lib/api";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { IconArrowLeft } from "../../ui/icons";
import { ErrorState, LoadingList } from "../../ui/States";
import { useInstance } from "../instances/api";
import { Conversation, type LiveRun } from "./Conversation";
import { type ChatEvent, ChatRequestError, newSessionKey, useChatSocket } from "./chatSocket";
import { providerErrorText, requestErrorText } from "./chatText";
import { ModelDialog } from "./ModelDialog";
import { SessionList } from "./SessionList";

const RUNNING = ["ready", "degraded", "unreachable"];

function failureText(error: unknown): string {
  if (error instanceof ChatRequestError) return requestErrorText(error.code, error.message);
  return "Something went wrong. Try again.";
}

function Back({ id }: { id: string }) {
  return (
    <Link href={`/instances/${encodeURIComponent(id)}`} className="back-link">
      <IconArrowLeft /> Instance
    </Link>
  );
}

export default function ChatPage({ params }: { params: { id: string } }) {
  const id = decodeURIComponent(params.id);
  const [, navigate] = useLocation();
  const instanceQuery = useInstance(id);
  const instance = instanceQuery.data;
  const ready = instance ? RUNNING.includes(instance.state) : false;
  useDocumentTitle(instance ? `Chat · ${instance.name}` : "Chat");

  const [sessions, setSessions] = useState<ChatSession[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [messages, setMessages] = useState<ChatMessage[] | null>(null);
  const [historyError, setHistoryError] = useState<string | null>(null);
  const [run, setRun] = useState<LiveRun | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const [view, setView] = useState<"list" | "conversation">("list");
  const [modelOpen, setModelOpen] = useState(false);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const activeRef = useRef<string | null>(null);
  activeRef.current = activeKey;
  const runRef = useRef<LiveRun | null>(null);
  runRef.current = run;
  // Conversations started here that OpenClaw doesn't know until their first message.
  const fresh = useRef(new Set<string>());
  // Set on reconnect: the next list tells whether the reply being shown ended while we were away.
  const resync = useRef(false);

  const loadSessions = () => {
    setListError(null);
    socket.request<{ sessions: ChatSession[] }>({ op: "sessions.list" }).then(
      (result) => {
        setSessions(result.sessions);
        if (resync.current) {
          resync.current = false;
          reconcile(result.sessions);
        }
        if (activeRef.current === null) {
          const first = result.sessions[0];
          if (first) open(first.key, false);
          else startNew(false);
        }
      },
      (error: unknown) => setListError(failureText(error)),
    );
  };

  const loadHistory = (key: string) => {
    setHistoryError(null);
    if (fresh.current.has(key)) return setMessages((m) => m ?? []);
    socket.request<{ messages: ChatMessage[] }>({ op: "history", sessionKey: key }).then(
      (result) => {
        if (activeRef.current === key) setMessages(result.messages);
      },
      (error: unknown) => {
        if (activeRef.current === key) setHistoryError(failureText(error));
      },
    );
  };

  /**
   * After a reconnect: a reply that finished while the socket was down sent its last events to no
   * one. If OpenClaw no longer runs the open conversation, its history has the whole turn: show
   * that instead of a reply that would stay "typing" for good.
   */
  function reconcile(list: ChatSession[]) {
    const key = activeRef.current;
    const active = list.find((s) => s.key === key);
    if (!key || !active) return;
    fresh.current.delete(key);
    const current = runRef.current;
    if (current && current.state !== "error" && !active.running) {
      setRun(null);
      loadHistory(key);
    }
  }

  function open(key: string, focus: boolean) {
    activeRef.current = key;
    setActiveKey(key);
    setMessages(null);
    setRun(null);
    loadHistory(key);
    if (focus) {
      setView("conversation");
      requestAnimationFrame(() => composerRef.current?.focus());
    }
  }

  /** Opens a new, empty conversation and returns its key. */
  function startNew(focus: boolean): string {
    const key = newSessionKey();
    fresh.current.add(key);
    activeRef.current = key;
    setActiveKey(key);
    setMessages([]);
    setHistoryError(null);
    setRun(null);
    if (focus) {
      setView("conversation");
      requestAnimationFrame(() => composerRef.current?.focus());
    }
    return key;
  }

  const onChat = (event: ChatEvent) => {
    if (event.sessionKey !== activeRef.current) {
      if (event.state === "final") loadSessions();
      return;
    }
    const current = runRef.current;
    const mine = current?.runId === event.runId;
    if (event.state === "final") {
      setRun(null);
      if (mine) {
        const text = event.text ?? current?.text ?? "";
        setMessages((m) => [...(m ?? []), { id: event.runId, role: "assistant", text, timestamp: Date.now(), error: null }]);
        setAnnouncement(`Assistant replied: ${text.slice(0, 400)}`);
      } else loadHistory(event.sessionKey); // a turn from another tab or device
      fresh.current.delete(event.sessionKey);
      loadSessions();
      return;
    }
    if (event.state === "aborted") {
      setRun(null);
      const text = event.text ?? current?.text ?? "";
      if (text) setMessages((m) => [...(m ?? []), { id: event.runId, role: "assistant", text, timestamp: Date.now(), error: null }]);
      setAnnouncement("Reply stopped.");
      return;
    }
    const base: LiveRun =
      mine && current ? current : { runId: event.runId, text: "", phase: null, state: "streaming", error: null, prompt: "" };
    if (event.state === "error") {
      setRun({ ...base, state: "error", error: providerErrorText(event.errorKind, event.errorMessage) });
      return;
    }
    setRun({ ...base, state: "streaming", phase: event.phase ?? base.phase, text: event.text ?? base.text });
  };

  const socket = useChatSocket(ready ? id : null, {
    onOpen: (reconnected) => {
      if (!reconnected) return;
      resync.current = true;
      setNotice("Reconnected");
    },
    onSessionsChanged: loadSessions,
    onChat,
  });

  // Read the list (and the open conversation) whenever the instance becomes reachable: on
  // connect, on reconnect, and when its agent or OpenClaw comes back.
  const reachable = socket.connection === "open" && socket.status?.agent === "online" && socket.status.gateway !== "unavailable";
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the transition to reachable matters
  useEffect(() => {
    if (!reachable) return;
    loadSessions();
    const key = activeRef.current;
    if (key) loadHistory(key);
  }, [reachable]);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 4000);
    return () => clearTimeout(timer);
  }, [notice]);
  useEffect(() => {
    if (socket.connection === "signed-out") navigate(`/sign-in?next=${encodeURIComponent(`/instances/${id}/chat`)}`);
  }, [socket.connection, id, navigate]);

  const sendText = (text: string, showUser: boolean) => {
    // Sent before the conversation list has answered: the message starts the new conversation, and
    // its streamed reply is shown there (its events carry this key).
    const key = activeRef.current ?? startNew(false);
    const runId = crypto.randomUUID();
    if (showUser) setMessages((m) => [...(m ?? []), { id: `local-${runId}`, role: "user", text, timestamp: Date.now(), error: null }]);
    setRun({ runId, text: "", phase: null, state: "sending", error: null, prompt: text });
    // Send (or Retry) turns into Stop: keep the keyboard in the composer.
    composerRef.current?.focus();
    socket.request({ op: "send", sessionKey: key, text, runId }).then(
      () => setRun((r) => (r?.runId === runId && r.state === "sending" ? { ...r, state: "streaming" } : r)),
      (error: unknown) => {
        const message = failureText(error);
        setRun((r) => (r?.runId === runId ? { ...r, state: "error", error: message } : r));
      },
    );
  };

  const status = socket.status;
  // The agent's word first; the instance record (updated by the model dialog) otherwise.
  const model = status?.model ?? (instance?.model ? { provider: instance.model.host ?? "", model: instance.model.model } : null);
  const blocked =
    socket.connection === "lost"
      ? "Connection lost — reconnecting…"
      : socket.connection !== "open" || !status
        ? "Connecting to your assistant…"
        : status.agent === "offline"
          ? "Your assistant is offline"
          : status.gateway === "unavailable"
            ? "OpenClaw is starting on your instance…"
            : model === null
              ? "Set up a model to start chatting"
              : null;

  if (instanceQuery.isError || socket.connection === "gone") {
    const missing =
      socket.connection === "gone" || (instanceQuery.error instanceof ApiError && [400, 404].includes(instanceQuery.error.status));
    return (
      <>
        <Link href="/instances" className="back-link">
          <IconArrowLeft /> Instances
        </Link>
        <ErrorState
          title={missing ? "This instance isn't here" : "We couldn't load this instance"}
          error={instanceQuery.error}
          {...(missing ? {} : { onRetry: () => void instanceQuery.refetch() })}
        />
      </>
    );
  }
  if (!instance) return <LoadingList label="Loading your assistant…" rows={3} />;
  if (!ready) {
    return (
      <>
        <Back id={id} />
        <section className="card state-card" data-testid="chat-not-ready">
          <h2 className="state-title">Your assistant isn't ready yet</h2>
          <p className="state-text">
            {instance.state === "failed" || instance.state === "deleting" || instance.state === "deleted"
              ? "This instance isn't running, so there is no one to chat with."
              : "It is still being deployed. The chat opens once OpenClaw is running."}
          </p>
          <Link href={`/instances/${encodeURIComponent(id)}`} className="btn btn-primary">
            See its progress
          </Link>
        </section>
      </>
    );
  }

  let banner: ReactNode = null;
  if (socket.connection === "lost") banner = <p className="chat-banner chat-banner-warning">Connection lost — reconnecting…</p>;
  else if (status?.agent === "offline")
    banner = (
      <p className="chat-banner chat-banner-warning" data-testid="chat-offline">
        Your assistant is offline: its agent isn't connected. This page reconnects by itself when it is back.
      </p>
    );
  else if (status && model === null)
    banner = (
      <div className="chat-banner chat-banner-info" data-testid="chat-no-model">
        <span>Your assistant has no model yet. Choose a provider and paste your API key.</span>
        <button type="button" className="btn btn-primary btn-sm" onClick={() => setModelOpen(true)}>
          Set up your model
        </button>
      </div>
    );
  else if (notice) banner = <p className="chat-banner chat-banner-success">{notice}</p>;

  const activeSession = sessions?.find((s) => s.key === activeKey);
  return (
    <div className="chat-page">
      <div className="chat-topbar">
        <Back id={id} />
        <h1 className="chat-heading">{instance.name}</h1>
        <span className="chat-model" data-testid="chat-model">
          {model ? (
            <>
              <span className="visually-hidden">Model: </span>
              {model.model}
            </>
          ) : (
            "No model"
          )}
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => setModelOpen(true)} disabled={!instance.agentPublicKey}>
            {model ? "Change" : "Set up"}
          </button>
        </span>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="chat-announcer">
        {socket.connection === "lost" ? "Connection lost — reconnecting…" : notice ? notice : announcement}
      </p>
      {/* Above both panes, so a phone showing the list sees it too. */}
      {banner}
      <div className="chat-layout" data-view={view}>
        <SessionList
          sessions={sessions}
          error={listError}
          away={status?.agent === "offline"}
          activeKey={activeKey}
          onSelect={(key) => open(key, true)}
          onNew={() => startNew(true)}
          onRetry={loadSessions}
        />
        <Conversation
          title={activeSession?.title || "New chat"}
          messages={messages}
          historyError={historyError}
          run={run}
          blocked={blocked}
          composerRef={composerRef}
          onSend={(text) => sendText(text, true)}
          onStop={() => {
            composerRef.current?.focus();
            if (activeKey)
              socket.request({ op: "abort", sessionKey: activeKey, ...(run ? { runId: run.runId } : {}) }).catch(() => undefined);
          }}
          onRetry={() => {
            if (run?.prompt) sendText(run.prompt, false);
          }}
          onReloadHistory={() => activeKey && loadHistory(activeKey)}
          onBack={() => setView("list")}
        />
      </div>
      <ModelDialog instance={instance} open={modelOpen} onClose={() => setModelOpen(false)} />
    </div>
  );
}
