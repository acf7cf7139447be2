// Heartbeat ingestion: N agents, each a real WebSocket connection on loopback, send one heartbeat
// every 15 s (phases spread evenly) into one server process. Prints the server's event-loop delay
// (measured inside it) and how often it writes to the database: transactions and rows per second
// from PostgreSQL's own statistics when on a server, and the heartbeat buffer's flush count.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import WebSocket from "ws";
import { seedAgentFleet } from "../test-support/agent-fleet.ts";
import { fmt, freePort } from "./support.ts";

const INTERVAL_MS = 15_000;

interface Report {
  p50: number;
  p99: number;
  max: number;
  rssMb: number;
  stats: { heartbeats: number; flushes: number; failedFlushes: number };
}

const frame = (seq: number) =>
  JSON.stringify({
    type: "heartbeat",
    seq,
    agentVersion: "0.1.0",
    openclawVersion: "2026.9.6",
    gateway: { healthy: true, ready: true, startupVersion: "2026.9.6" },
    cpu: { load1: Math.random() * 2, cores: 2 },
    memory: { totalMb: 4096, availableMb: 1500 + Math.random() * 1000 },
    disk: { totalMb: 50_000, freeMb: 30_000 },
    uptimeSec: 3600 + seq * 15,
  });

async function dbWrites(url: string | undefined) {
  if (!url) return undefined;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ xact: string; ins: string; upd: string }>(
      "select xact_commit as xact, tup_inserted as ins, tup_updated as upd from pg_stat_database where datname = current_database()",
    );
    const row = r.rows[0];
    return { xact: Number(row?.xact), rows: Number(row?.ins) + Number(row?.upd) };
  } finally {
    await c.end();
  }
}

export async function benchHeartbeats(opts: { agents: number; measureSec: number; databaseUrl?: string }): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "cc-bench-hb-"));
  const sockets: WebSocket[] = [];
  const timers: NodeJS.Timeout[] = [];
  const fleet = await seedAgentFleet({ url: opts.databaseUrl, dataDir }, opts.agents);
  const port = await freePort();
  const child = fork(join(import.meta.dirname, "heartbeat-server.ts"), [], {
    env: {
      PATH: process.env.PATH ?? "",
      PORT: String(port),
      CLAWCLOUD_DATA_DIR: dataDir,
      CLAWCLOUD_PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const ask = <T>(cmd: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { cmd: string }) => {
        if (m.cmd !== cmd) return;
        child.off("message", on);
        resolve(m as T);
      };
      child.on("message", on);
      if (cmd !== "ready") child.send({ cmd });
    });
  try {
    await ask("ready");
    // Connect in waves, as a fleet reconnecting after a deploy would.
    let failed = 0;
    const connectStarted = Date.now();
    for (let k = 0; k < fleet.length; k += 250) {
      await Promise.all(
        fleet.slice(k, k + 250).map(
          (a) =>
            new Promise<void>((resolve) => {
              const ws = new WebSocket(`ws://127.0.0.1:${port}/api/agent/v1/connect`, "clawcloud-agent.v1", {
                headers: { authorization: `Bearer ${a.credential}` },
              });
              ws.once("message", () => resolve());
              ws.once("error", () => {
                failed++;
                resolve();
              });
              sockets.push(ws);
            }),
        ),
      );
    }
    const connectSec = (Date.now() - connectStarted) / 1000;
    // Each agent beats every 15 s, phases spread over the interval.
    sockets.forEach((ws, n) => {
      let seq = 0;
      const beat = () => {
        if (ws.readyState === WebSocket.OPEN) ws.send(frame(seq++));
      };
      timers.push(
        setTimeout(
          () => {
            beat();
            timers.push(setInterval(beat, INTERVAL_MS));
          },
          (n / sockets.length) * INTERVAL_MS,
        ),
      );
    });
    await new Promise((r) => setTimeout(r, INTERVAL_MS)); // warm-up: one full round
    const before = await ask<{ stats: Report["stats"] }>("reset");
    const dbBefore = await dbWrites(opts.databaseUrl);
    await new Promise((r) => setTimeout(r, opts.measureSec * 1000));
    const after = await ask<Report>("report");
    const dbAfter = await dbWrites(opts.databaseUrl);
    const s = opts.measureSec;
    const heartbeats = after.stats.heartbeats - before.stats.heartbeats;
    const flushes = after.stats.flushes - before.stats.flushes;
    const kind = opts.databaseUrl ? "PostgreSQL server" : "PGlite";
    const lines = [
      `heartbeat ingestion on ${kind}: ${opts.agents - failed} agents on real WebSockets (${failed} failed to connect, all connected in ${connectSec.toFixed(1)} s), one beat per 15 s, measured ${s} s:`,
      `  ${(heartbeats / s).toFixed(0)} heartbeats/s written; server event-loop delay p50 ${fmt(after.p50)}, p99 ${fmt(after.p99)}, max ${fmt(after.max)} (target p99 ≤ 50 ms); server RSS ${after.rssMb} MB`,
      `  database writes: ${(flushes / s).toFixed(2)} heartbeat batches/s (${after.stats.failedFlushes} failed)` +
        (dbBefore && dbAfter
          ? `; PostgreSQL counted ${((dbAfter.xact - dbBefore.xact) / s).toFixed(1)} commits/s (all sources, the job queue's included) and ${((dbAfter.rows - dbBefore.rows) / s).toFixed(0)} rows inserted+updated/s`
          : ""),
    ];
    return lines;
  } finally {
    for (const t of timers) clearTimeout(t);
    for (const ws of sockets) ws.terminate();
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.send({ cmd: "stop" });
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}
