// The agent endpoints under the configured server URL (which may carry a path prefix).
export const REGISTER_PATH = "api/agent/v1/register";
export const CONNECT_PATH = "api/agent/v1/connect";

function under(serverUrl: string, path: string): URL {
  const base = new URL(serverUrl);
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  base.search = "";
  base.hash = "";
  return new URL(path, base);
}

export function registerUrl(serverUrl: string): string {
  return under(serverUrl, REGISTER_PATH).href;
}

/** http → ws, https → wss. */
export function connectUrl(serverUrl: string): string {
  return wsUrl(serverUrl, CONNECT_PATH);
}

/** The WebSocket the agent dials for one support tunnel session. */
export function tunnelUrl(serverUrl: string, sessionId: string): string {
  return wsUrl(serverUrl, `api/agent/v1/tunnel/${encodeURIComponent(sessionId)}`);
}

function wsUrl(serverUrl: string, path: string): string {
  const url = under(serverUrl, path);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}
