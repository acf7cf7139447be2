// The pieces of the relay benchmark: the measured server (a child process with IPC, its instances
// and agent credentials seeded), a scripted agent that echoes every DATA frame back on its
// channel (a double of the real agent, which would talk to OpenClaw), a plain WebSocket echo
// server for the direct baseline, and nginx as a WebSocket proxy for scale.
import { type ChildProcess, fork, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AGENT_PROTOCOL, CHAT_PROTOCOL, decodeRelayFrame, encodeRelayFrame, RelayOp } from "@clawcloud/contracts";
import { openDatabase } from "@clawcloud/db";
import WebSocket, { WebSocketServer } from "ws";
import { SERVER_NODE_FLAGS } from "../apps/server/src/node-flags.ts";
import { insertRegisteredInstances, type RegisteredInstance, workspaceOfUser } from "../test-support/agent-fixtures.ts";
import { createPostgresDatabase } from "../test-support/postgres-database.ts";
import type { ServerStats, ServerStatsRequest } from "./relay-server.ts";
import { freePort, signUp, spawnServer, stop, waitForHealth } from "./support.ts";

export interface BenchInstance extends RegisteredInstance {
  /** A session cookie of a user whose workspace owns the instance. */
  cookie: string;
}

export interface RelayServer {
  url: string;
  pid: number;
  instances: BenchInstance[];
  stats(opts?: Omit<ServerStatsRequest, "type">): Promise<ServerStats>;
  /** Resident memory from /proc, as the kernel counts it. */
  rssBytes(): number;
  stop(): Promise<void>;
}

const AUTH_SECRET = "bench-only-auth-secret-0123456789abcdef";

/**
 * A fresh server with `count` registered instances spread over `users` signed-up users, on PGlite,
 * or on a new database of the PostgreSQL server at `postgresUrl`. Sign-up goes through the real
 * server (sessions as a browser gets them); the instances are inserted while no server holds the
 * data directory; then the measured server starts on it.
 */
export async function startRelayServer(count: number, users: number, postgresUrl?: string): Promise<RelayServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "cc-bench-relay-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const pgDatabase = postgresUrl ? await createPostgresDatabase(postgresUrl, "cc_bench") : undefined;
  const env = {
    PORT: String(port),
    CLAWCLOUD_DATA_DIR: dataDir,
    CLAWCLOUD_PUBLIC_URL: url,
    CLAWCLOUD_AUTH_SECRET: AUTH_SECRET,
    ...(pgDatabase ? { DATABASE_URL: pgDatabase.url } : {}),
  };
  const setup = spawnServer(env);
  const accounts: { cookie: string; email: string }[] = [];
  try {
    await waitForHealth(url);
    for (let i = 0; i < users; i++) accounts.push(await signUp(url));
  } finally {
    await stop(setup);
  }
  const database = await openDatabase({ dataDir, ...(pgDatabase ? { url: pgDatabase.url } : {}) });
  const instances: BenchInstance[] = [];
  try {
    for (const [i, account] of accounts.entries()) {
      const n = Math.floor(count / users) + (i < count % users ? 1 : 0);
      const workspaceId = await workspaceOfUser(database.db, account.email);
      for (const r of await insertRegisteredInstances(database.db, workspaceId, n)) instances.push({ ...r, cookie: account.cookie });
    }
  } finally {
    await database.close();
  }

  const child: ChildProcess = fork(join(import.meta.dirname, "relay-server.ts"), [], {
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...env },
    // BENCH_CPU_PROF=<dir> writes the server's CPU profile there (to find where a missed figure goes).
    // The flags `npm start` runs the server with; BENCH_SERVER_ARGS adds more (to try one first).
    execArgv: [
      ...SERVER_NODE_FLAGS,
      "--expose-gc",
      ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF] : []),
      ...(process.env.BENCH_SERVER_ARGS?.split(" ").filter(Boolean) ?? []),
    ],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`relay server exited with ${code}`)));
  });
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    instances,
    stats: (opts = {}) =>
      new Promise((resolve) => {
        child.once("message", (m) => resolve(m as ServerStats));
        child.send({ type: "stats", ...opts } satisfies ServerStatsRequest);
      }),
    rssBytes: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? Number.NaN) * 1024,
    async stop() {
      await stop(child);
      rmSync(dataDir, { recursive: true, force: true });
      await pgDatabase?.drop();
    },
  };
}

const opened = (socket: WebSocket): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    socket.once("open", () => resolve(socket));
    socket.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once("error", reject);
  });

/** The bench double of an agent: speaks agent protocol v1 and echoes each DATA frame on its channel. */
export async function connectEchoAgent(url: string, credential: string): Promise<WebSocket> {
  const socket = new WebSocket(`${url.replace(/^http/, "ws")}/api/agent/v1/connect`, AGENT_PROTOCOL, {
    headers: { authorization: `Bearer ${credential}` },
    perMessageDeflate: false,
  });
  const welcomed = new Promise<void>((resolve) => socket.once("message", () => resolve()));
  socket.on("message", (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return; // the welcome frame; this double sends no heartbeats
    const frame = decodeRelayFrame(data);
    if (frame?.op === RelayOp.DATA) socket.send(encodeRelayFrame(RelayOp.DATA, frame.channel, frame.payload), { binary: true });
  });
  await opened(socket);
  await welcomed;
  return socket;
}

/** A browser's chat socket: the session cookie, the app's Origin and the chat subprotocol. */
export function connectChat(url: string, instance: BenchInstance): Promise<WebSocket> {
  const socket = new WebSocket(`${url.replace(/^http/, "ws")}/api/v1/instances/${instance.instanceId}/chat`, CHAT_PROTOCOL, {
    headers: { origin: url, cookie: instance.cookie },
    perMessageDeflate: false,
  });
  return opened(socket);
}

/** A plain WebSocket client, for the direct and nginx paths. */
export function connectPlain(wsUrl: string): Promise<WebSocket> {
  return opened(new WebSocket(wsUrl, { perMessageDeflate: false }));
}

export interface EchoServer {
  port: number;
  close(): Promise<void>;
}

/** The direct baseline: a WebSocket server that sends every message straight back. */
export async function startEchoServer(): Promise<EchoServer> {
  const port = await freePort();
  const wss = new WebSocketServer({ host: "127.0.0.1", port, perMessageDeflate: false });
  wss.on("connection", (socket) => {
    socket.on("message", (data: Buffer, isBinary: boolean) => socket.send(data, { binary: isBinary }));
  });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

export interface Nginx {
  port: number;
  stop(): Promise<void>;
}

export const NGINX = "/usr/sbin/nginx";

/** nginx (one worker) proxying WebSockets to `upstreamPort`, run from a temp dir and stopped by its PID. */
export async function startNginx(upstreamPort: number): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), "cc-bench-nginx-"));
  mkdirSync(join(dir, "temp"));
  const port = await freePort();
  const conf = join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `worker_processes 1;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/temp/body;
  proxy_temp_path ${dir}/temp/proxy;
  fastcgi_temp_path ${dir}/temp/fastcgi;
  uwsgi_temp_path ${dir}/temp/uwsgi;
  scgi_temp_path ${dir}/temp/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://127.0.0.1:${upstreamPort};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_read_timeout 3600s;
      proxy_buffering off;
    }
  }
}
`,
  );
  // `user` is only honoured as root; running as root, workers drop to nobody, which needs nothing here.
  const child = spawn(NGINX, ["-p", dir, "-c", conf, "-g", `daemon off; pid ${dir}/nginx.pid;`], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise((r) => child.once("exit", r));
  const end = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${readFileSync(join(dir, "error.log"), "utf8")}`);
    try {
      await (await fetch(`http://127.0.0.1:${port}/`)).arrayBuffer();
      break;
    } catch {
      if (Date.now() > end) throw new Error("nginx did not start");
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return {
    port,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` on `items` with at most `limit` in flight. */
export async function inBatches<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
