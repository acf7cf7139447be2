import { type ChatMessage, MAX_CHAT_MESSAGE } from "@clawcloud/contracts";
import { type KeyboardEvent, type Ref, useLayoutEffect, useRef, useState } from "react";
import { IconAlert, IconArrowLeft } from "../../ui/icons";
import { Markdown } from "./Markdown";

/** The turn being answered right now. */
export interface LiveRun {
  runId: string;
  text: string;
  phase: string | null;
  /** `sending` until the instance accepted it. */
  state: "sending" | "streaming" | "error";
  error: string | null;
  /** What was sent, for Retry. */
  prompt: string;
}

interface ConversationProps {
  title: string;
  messages: ChatMessage[] | null;
  historyError: string | null;
  run: LiveRun | null;
  /** Why sending is not possible now (offline, no model…); null when it is. */
  blocked: string | null;
  composerRef: Ref<HTMLTextAreaElement>;
  onSend: (text: string) => void;
  onStop: () => void;
  onRetry: () => void;
  onReloadHistory: () => void;
  onBack: () => void;
}

function Message({ message }: { message: ChatMessage }) {
  return (
    <li className={`chat-message chat-message-${message.role}`} data-testid={`chat-message-${message.role}`}>
      <span className="visually-hidden">{message.role === "user" ? "You said:" : "Assistant:"}</span>
      {message.role === "user" ? <p className="chat-user-text">{message.text}</p> : <Markdown text={message.text} />}
      {message.error ? (
        <p className="chat-turn-error">
          <IconAlert /> {message.error}
        </p>
      ) : null}
    </li>
  );
}

function Composer({
  blocked,
  running,
  composerRef,
  onSend,
  onStop,
}: Pick<ConversationProps, "blocked" | "composerRef" | "onSend" | "onStop"> & { running: boolean }) {
  const [text, setText] = useState("");
  const send = () => {
    const trimmed = text.trim();
    if (!trimmed || blocked || running) return;
    onSend(trimmed);
    setText("");
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends, Shift+Enter is a newline; not while an IME is composing a character.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };
  return (
    <form
      className="chat-composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label htmlFor="chat-input" className="visually-hidden">
        Message
      </label>
      <textarea
        id="chat-input"
        ref={composerRef}
        className="input chat-input"
        rows={2}
        value={text}
        maxLength={MAX_CHAT_MESSAGE}
        placeholder={blocked ?? "Message your assistant"}
        aria-describedby="chat-input-hint"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        data-testid="chat-input"
      />
      <p id="chat-input-hint" className="visually-hidden">
        Enter sends, Shift+Enter adds a new line.
      </p>
      {running ? (
        <button type="button" className="btn btn-secondary" onClick={onStop} data-testid="chat-stop">
          Stop
        </button>
      ) : (
        <button type="submit" className="btn btn-primary" disabled={blocked !== null || !text.trim()} data-testid="chat-send">
          Send
        </button>
      )}
    </form>
  );
}

/** The open conversation: messages, the live reply, and the composer. */
export function Conversation(props: ConversationProps) {
  const { title, messages, historyError, run, blocked, onRetry, onReloadHistory, onBack } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  // Follow the reply while the reader is at the bottom; leave them be when they scrolled up.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  });
  // Another conversation opened: start at its end.
  const shownTitle = useRef(title);
  if (shownTitle.current !== title) {
    shownTitle.current = title;
    stick.current = true;
  }
  const running = run !== null && run.state !== "error";
  return (
    <section className="chat-pane" aria-labelledby="chat-title">
      <header className="chat-pane-head">
        <button type="button" className="btn btn-secondary btn-sm chat-back" onClick={onBack}>
          <IconArrowLeft /> Conversations
        </button>
        <h2 id="chat-title" className="chat-title">
          {title}
        </h2>
      </header>
      <div
        className="chat-scroll"
        ref={scroller}
        onScroll={(event) => {
          const el = event.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {historyError ? (
          <div className="chat-empty" role="alert">
            <p>{historyError}</p>
            <button type="button" className="btn btn-secondary btn-sm" onClick={onReloadHistory}>
              Try again
            </button>
          </div>
        ) : messages === null ? (
          <p className="chat-empty" role="status">
            Loading the conversation…
          </p>
        ) : messages.length === 0 && !run ? (
          <p className="chat-empty">Ask anything. Your conversation stays on your instance.</p>
        ) : (
          <ol className="chat-messages" aria-label="Messages">
            {messages.map((m) => (
              <Message key={m.id} message={m} />
            ))}
            {run ? (
              <li className="chat-message chat-message-assistant" aria-busy={running} data-testid="chat-live">
                {run.text ? <Markdown text={run.text} /> : null}
                {running ? (
                  <p className="chat-typing" data-testid="chat-typing">
                    <span className="typing-dots" aria-hidden="true">
                      <span />
                      <span />
                      <span />
                    </span>
                    {run.text ? null : (
                      <span>{run.state === "sending" ? "Sending…" : run.phase === "tool" ? "Working…" : "Thinking…"}</span>
                    )}
                  </p>
                ) : null}
                {run.state === "error" ? (
                  <div className="chat-turn-error" role="alert" data-testid="chat-error">
                    <IconAlert /> <span>{run.error}</span>
                    <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry} disabled={blocked !== null}>
                      Retry
                    </button>
                  </div>
                ) : null}
              </li>
            ) : null}
          </ol>
        )}
      </div>
      <Composer blocked={blocked} running={running} composerRef={props.composerRef} onSend={props.onSend} onStop={props.onStop} />
    </section>
  );
}
