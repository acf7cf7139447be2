// Starts the real server (real HTTP socket, real database) for API tests, with its log lines
// captured so tests can read them (e-mail links) and scan them (planted secrets).
import { Writable } from "node:stream";
import { loadConfig } from "../apps/server/src/config.ts";
import { createLogger } from "../apps/server/src/logger.ts";
import { type RunningServer, startServer } from "../apps/server/src/server.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";

export const PUBLIC_URL = "http://localhost:3000";

export interface TestApp {
  url: string;
  server: RunningServer;
  db: TestDatabase;
  logs: string[];
  client(): TestClient;
  stop(): Promise<void>;
}

export async function startTestApp(
  opts: {
    env?: Record<string, string>;
    role?: "all" | "api" | "worker";
    db?: TestDatabase;
    webRoot?: string;
    /** Another agent bundle to serve than apps/agent/dist's (agent self-update tests). */
    agentBundlePath?: string;
  } = {},
): Promise<TestApp> {
  const db = opts.db ?? (await createTestDatabase());
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(...String(chunk).split("\n").filter(Boolean));
      cb();
    },
  });
  const config = loadConfig({
    PORT: "0",
    CLAWCLOUD_DATA_DIR: db.dataDir,
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
    CLAWCLOUD_PUBLIC_URL: PUBLIC_URL,
    CLAWCLOUD_RATE_LIMIT_SCALE: "20",
    CLAWCLOUD_ROLE: opts.role ?? "all",
    LOG_LEVEL: "debug",
    ...opts.env,
  });
  const log = createLogger({ level: "debug", pretty: false, destination });
  const server = await startServer(config, log, {
    webRoot: opts.webRoot ?? null,
    ...(opts.agentBundlePath ? { agentBundlePath: opts.agentBundlePath } : {}),
  });
  const url = server.url ?? "";
  return {
    url,
    server,
    db,
    logs,
    client: () => new TestClient(url),
    async stop() {
      await server.stop();
      if (!opts.db) await db.drop();
    },
  };
}

/** A browser-like client: keeps the session cookie and sends our Origin. */
export class TestClient {
  readonly cookies = new Map<string, string>();
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const h: Record<string, string> = { origin: PUBLIC_URL, ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === "string" ? body : JSON.stringify(body);
      h["content-type"] ??= "application/json";
    }
    const res = await fetch(this.url + path, { method, headers: h, body: payload, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (!pair || eq < 0) continue;
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (value === "" || /max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get = (path: string, headers?: Record<string, string>) => this.request("GET", path, undefined, headers);
  post = (path: string, body?: unknown, headers?: Record<string, string>) => this.request("POST", path, body ?? {}, headers);
  patch = (path: string, body?: unknown, headers?: Record<string, string>) => this.request("PATCH", path, body, headers);

  async signUp(email: string, password = "correct horse battery", name = "Test User"): Promise<Response> {
    return this.post("/api/auth/sign-up/email", { name, email, password });
  }

  async signIn(email: string, password = "correct horse battery"): Promise<Response> {
    return this.post("/api/auth/sign-in/email", { email, password });
  }
}

let seq = 0;
export const uniqueEmail = (tag = "user") => `${tag}-${process.pid}-${Date.now()}-${seq++}@example.com`;

/** Waits for a log line matching `re` (jobs run asynchronously). */
export async function waitForLog(logs: string[], re: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = logs.find((l) => re.test(l));
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no log line matched ${re} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
