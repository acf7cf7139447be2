import type { ChatSession } from "@clawcloud/contracts";
import { IconPlus } from "../../ui/icons";
import { sessionTime } from "./chatText";

interface SessionListProps {
  sessions: ChatSession[] | null;
  error: string | null;
  /** The assistant is offline: its conversations cannot be listed now. */
  away: boolean;
  activeKey: string | null;
  onSelect: (key: string) => void;
  onNew: () => void;
  onRetry: () => void;
}

/** OpenClaw's conversations on this instance, newest first. */
export function SessionList({ sessions, error, away, activeKey, onSelect, onNew, onRetry }: SessionListProps) {
  return (
    <nav className="chat-sessions" aria-label="Conversations">
      <div className="chat-sessions-head">
        <h2 className="section-title">Conversations</h2>
        <button type="button" className="btn btn-primary btn-sm" onClick={onNew}>
          <IconPlus /> New chat
        </button>
      </div>
      {error ? (
        <div className="chat-sessions-state" role="alert">
          <p>{error}</p>
          <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry}>
            Try again
          </button>
        </div>
      ) : sessions === null ? (
        <p className="chat-sessions-state" role="status">
          {away ? "Your conversations appear here when your assistant is back online." : "Loading conversations…"}
        </p>
      ) : sessions.length === 0 ? (
        <p className="chat-sessions-state">No conversations yet. Say hello to start one.</p>
      ) : (
        <ul className="chat-session-list" data-testid="chat-sessions">
          {sessions.map((s) => (
            <li key={s.key}>
              <button
                type="button"
                className="chat-session"
                aria-current={s.key === activeKey ? "true" : undefined}
                onClick={() => onSelect(s.key)}
                data-testid="chat-session"
              >
                <span className="chat-session-title">
                  {s.title || "Conversation"}
                  {s.running ? <span className="chat-session-running"> · replying</span> : null}
                </span>
                {s.preview ? <span className="chat-session-preview">{s.preview}</span> : null}
                <span className="chat-session-time">{sessionTime(s.updatedAt)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
