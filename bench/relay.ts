// The chat relay on loopback, in one run (issue 5, "Figures to reach"):
//  1. added latency per 1 KB frame at 1,000 frames/s, browser → server → agent and back, minus a
//     direct connection to a plain echo server, next to nginx proxying to that echo server;
//  2. throughput of 1 KB frames through one server process (pipelined round trips);
//  3. memory per socket and event loop delay with 5,000 idle chat sockets + 5,000 agent sockets.
// The client side (browser, agent double, echo server) lives in this process for every path, so
// subtracting the direct round trip leaves what the proxy in the middle adds.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import type WebSocket from "ws";
import type { ServerStats } from "./relay-server.ts";
import {
  connectChat,
  connectEchoAgent,
  connectPlain,
  inBatches,
  NGINX,
  type RelayServer,
  startEchoServer,
  startNginx,
  startRelayServer,
} from "./relay-support.ts";
import { pct } from "./support.ts";

const FRAME_BYTES = 1024;
const SEQ_DIGITS = 10;
/** Frames in flight for the throughput run: enough that a descheduled process never idles the others. */
const WINDOW = 256;
const template = Buffer.alloc(FRAME_BYTES, "x");
/** A 1 KB text frame (the browser sends JSON text; the relay never reads it) carrying its sequence number. */
const frame = (seq: number) => {
  const b = Buffer.from(template);
  b.write(String(seq).padStart(SEQ_DIGITS, "0"), 0, "latin1");
  return b;
};
const seqOf = (data: Buffer) => Number(data.subarray(0, SEQ_DIGITS).toString("latin1"));

/** Round trips at a fixed rate (open loop: frames go out on schedule whatever came back). */
async function roundTrips(socket: WebSocket, rate: number, seconds: number): Promise<number[]> {
  const sentAt = new Float64Array(rate * seconds);
  const rtt: number[] = [];
  socket.on("message", (data: Buffer) => {
    const seq = seqOf(data);
    rtt.push(performance.now() - (sentAt[seq] ?? 0));
  });
  const start = performance.now();
  let seq = 0;
  while (seq < sentAt.length) {
    const due = Math.min(sentAt.length, Math.floor(((performance.now() - start) * rate) / 1000));
    for (; seq < due; seq++) {
      sentAt[seq] = performance.now();
      socket.send(frame(seq), { binary: false });
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  const end = Date.now() + 5_000;
  while (rtt.length < sentAt.length && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  socket.removeAllListeners("message");
  if (rtt.length < sentAt.length) throw new Error(`${sentAt.length - rtt.length} frames never came back`);
  return rtt.sort((a, b) => a - b);
}

/** Pipelined round trips with `window` frames in flight; returns frames back per second. */
async function pipelined(socket: WebSocket, window: number, seconds: number): Promise<number> {
  let back = 0;
  let seq = 0;
  let stopAt = 0;
  return new Promise((resolve) => {
    const t0 = performance.now();
    stopAt = t0 + seconds * 1000;
    socket.on("message", () => {
      back++;
      if (performance.now() < stopAt) socket.send(frame(seq++), { binary: false });
      else if (back === seq) {
        socket.removeAllListeners("message");
        resolve((back * 1000) / (performance.now() - t0));
      }
    });
    for (let i = 0; i < window; i++) socket.send(frame(seq++), { binary: false });
  });
}

const ms = (v: number) => `${v.toFixed(3)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function latency(server: RelayServer, rate: number, seconds: number): Promise<string[]> {
  const echo = await startEchoServer();
  const nginx = existsSync(NGINX) ? await startNginx(echo.port) : undefined;
  const target = server.instances[0];
  if (!target) throw new Error("no instance");
  const agent = await connectEchoAgent(server.url, target.credential);
  // Let the server's start-up work (the job queue's first maintenance on the embedded database) pass.
  await new Promise((r) => setTimeout(r, 5_000));
  try {
    const paths: [string, WebSocket][] = [
      ["direct", await connectPlain(`ws://127.0.0.1:${echo.port}/`)],
      ["relay", await connectChat(server.url, target)],
    ];
    if (nginx) paths.push(["nginx", await connectPlain(`ws://127.0.0.1:${nginx.port}/`)]);
    // Warm-up (JIT, socket buffers), then the paths measured in turns so a noisy spell hits them alike.
    for (const [, s] of paths) await roundTrips(s, rate, 2);
    const rtt = new Map<string, number[]>(paths.map(([name]) => [name, []]));
    const rounds = 3;
    for (let r = 0; r < rounds; r++) for (const [name, s] of paths) rtt.get(name)?.push(...(await roundTrips(s, rate, seconds / rounds)));
    for (const v of rtt.values()) v.sort((a, b) => a - b);
    const at = (name: string, p: number) => pct(rtt.get(name) ?? [], p);
    const added = (name: string, p: number) => at(name, p) - at("direct", p);
    const lines = [
      `relay latency, 1 KB frames at ${rate}/s for ${seconds} s per path (round trip browser → server → agent double → back):`,
      `  direct ws echo round trip: p50 ${ms(at("direct", 50))}, p99 ${ms(at("direct", 99))}`,
      `  through our server: p50 ${ms(at("relay", 50))}, p99 ${ms(at("relay", 99))} → added p50 ${ms(added("relay", 50))}, p99 ${ms(added("relay", 99))} (target p50 ≤ 0.5 ms, p99 ≤ 2 ms)`,
    ];
    if (nginx)
      lines.push(
        `  through nginx (one hop, echo behind it): p50 ${ms(at("nginx", 50))}, p99 ${ms(at("nginx", 99))} → added p50 ${ms(added("nginx", 50))}, p99 ${ms(added("nginx", 99))}`,
        `  our added / nginx added: p50 ×${(added("relay", 50) / added("nginx", 50)).toFixed(1)}, p99 ×${(added("relay", 99) / added("nginx", 99)).toFixed(1)} (ours is two hops: browser→server, server→agent)`,
      );
    else lines.push(`  (no nginx at ${NGINX}: its row is skipped)`);
    for (const [, s] of paths) s.close();
    return lines;
  } finally {
    agent.close();
    await nginx?.stop();
    await echo.close();
  }
}

async function throughput(server: RelayServer, seconds: number): Promise<string[]> {
  const target = server.instances[1] ?? server.instances[0];
  if (!target) throw new Error("no instance");
  const agent = await connectEchoAgent(server.url, target.credential);
  const chat = await connectChat(server.url, target);
  try {
    await pipelined(chat, WINDOW, 2);
    const before = await server.stats();
    const ownBefore = process.cpuUsage();
    const perSec = await pipelined(chat, WINDOW, seconds);
    const own = process.cpuUsage(ownBefore);
    const after = await server.stats();
    const frames = perSec * 2 * seconds;
    // CPU per frame is what the server spends; on a shared machine the wall-clock rate is capped by
    // whoever gets the cores (the client side here runs browser and agent on one thread).
    const usPerFrame = ((after.cpuMs - before.cpuMs) * 1000) / frames;
    return [
      `relay throughput, 1 KB frames pipelined browser → server → agent double → back, ${WINDOW} in flight, one chat socket, ${seconds} s:`,
      `  ${Math.round(perSec).toLocaleString("en")} round trips/s = ${Math.round(perSec * 2).toLocaleString("en")} frames/s relayed by one server process (each round trip crosses it twice) (target ≥ 20,000 frames/s)`,
      `  server CPU ${usPerFrame.toFixed(1)} µs per relayed frame (≈ ${Math.round(1e6 / usPerFrame).toLocaleString("en")} frames/s per busy core); ` +
        `load-client CPU ${(((own.user + own.system) / 1e3 / (seconds * 1000)) * 100).toFixed(0)}% of a core`,
    ];
  } finally {
    chat.close();
    agent.close();
  }
}

async function idleSockets(server: RelayServer, idleSeconds: number): Promise<string[]> {
  const settle = () => new Promise((r) => setTimeout(r, 2_000));
  // The baseline after the same idle time as the figure it is subtracted from: V8 gives memory back
  // some seconds after a busy spell (the throughput run here), and a baseline taken before that
  // would hide the sockets' cost behind it.
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const base = await server.stats({ gc: true });
  const baseRss = server.rssBytes();
  const t0 = performance.now();
  const agents = await inBatches(server.instances, 64, (i) => connectEchoAgent(server.url, i.credential));
  const chats = await inBatches(server.instances, 64, (i) => connectChat(server.url, i));
  const connectS = (performance.now() - t0) / 1000;
  await settle();
  // Idle: through at least one keepalive round (25 s) of pings to every browser socket.
  await server.stats({ resetLoopDelay: true });
  const probes: number[] = [];
  const end = Date.now() + idleSeconds * 1000;
  while (Date.now() < end) {
    const p0 = performance.now();
    await (await fetch(`${server.url}/api/health`)).arrayBuffer();
    probes.push(performance.now() - p0);
    await new Promise((r) => setTimeout(r, 100));
  }
  const idle = await server.stats({ gc: true });
  const rss = server.rssBytes();
  const sockets = agents.length + chats.length;
  const open = [...agents, ...chats].filter((s) => s.readyState === s.OPEN).length;
  for (const s of [...agents, ...chats]) s.terminate();
  probes.sort((a, b) => a - b);
  return [
    `relay idle load: ${chats.length.toLocaleString("en")} chat sockets + ${agents.length.toLocaleString("en")} agent sockets (connected in ${connectS.toFixed(1)} s; ${open.toLocaleString("en")} still open after ${idleSeconds} s idle):`,
    `  server memory per socket: RSS ${kb((rss - baseRss) / sockets)}, JS heap ${kb((idle.heapUsed - base.heapUsed) / sockets)} ` +
      `(RSS ${(baseRss / 2 ** 20).toFixed(0)} → ${(rss / 2 ** 20).toFixed(0)} MB; target ≤ 40 KB each)`,
    // Where RSS went: heap committed but unused (heapTotal − heapUsed) is V8 holding pages, not live data.
    `  breakdown before → after (MB; per socket): ${memoryBreakdown(base, baseRss, idle, rss, sockets)}`,
    `  event loop delay in the server over ${idleSeconds} s idle: p50 ${ms(idle.loopDelayP50Ms)}, p99 ${ms(idle.loopDelayP99Ms)}, max ${ms(idle.loopDelayMaxMs)} (target p99 ≤ 20 ms); ` +
      `GET /api/health meanwhile: p50 ${ms(pct(probes, 50))}, p99 ${ms(pct(probes, 99))}`,
  ];
}

function memoryBreakdown(base: ServerStats, baseRss: number, idle: ServerStats, rss: number, sockets: number): string {
  const mb = (v: number) => (v / 2 ** 20).toFixed(0);
  const rows: [string, number, number][] = [
    ["heap used", base.heapUsed, idle.heapUsed],
    ["heap committed", base.heapTotal, idle.heapTotal],
    ["external", base.external, idle.external],
    ["of which ArrayBuffers", base.arrayBuffers, idle.arrayBuffers],
    ["RSS outside the JS heap", baseRss - base.heapTotal, rss - idle.heapTotal],
  ];
  return rows.map(([name, a, b]) => `${name} ${mb(a)} → ${mb(b)} (${kb((b - a) / sockets)})`).join(", ");
}

function openFileLimit(): string {
  try {
    return execFileSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

export async function benchRelay(opts = { sockets: 5_000, rate: 1_000, seconds: 15, idleSeconds: 30 }): Promise<string[]> {
  // 10,000 sockets end in each process (the bench's clients and the server): both inherit this limit.
  const limit = openFileLimit();
  if (limit !== "unlimited" && Number(limit) < opts.sockets * 2 + 1_000)
    return [`relay: open-file limit ${limit} is below ${opts.sockets * 2 + 1_000}; raise it (ulimit -n) to run this benchmark`];
  // BENCH_POSTGRES_URL: the same run on a fresh database of that PostgreSQL server. On PGlite
  // (the embedded default) the queries run on PGlite's own thread in the server process.
  const postgresUrl = process.env.BENCH_POSTGRES_URL;
  const server = await startRelayServer(opts.sockets, 5, postgresUrl);
  try {
    return [
      `relay (open-file limit ${limit}; database: ${postgresUrl ? "PostgreSQL" : "PGlite, embedded"}):`,
      ...(await latency(server, opts.rate, opts.seconds)),
      ...(await throughput(server, 10)),
      ...(await idleSockets(server, opts.idleSeconds)),
    ];
  } finally {
    await server.stop();
  }
}

if (import.meta.main) for (const line of await benchRelay()) console.log(line);
