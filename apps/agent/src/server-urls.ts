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
  const url = under(serverUrl, CONNECT_PATH);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}
