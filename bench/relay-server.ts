// The server process the relay benchmark measures: the real startServer (as `npm start` runs it),
// plus what only the process itself can see, reported over IPC: its heap and its event loop
// delay (perf_hooks' histogram, reset on request so a phase is measured on its own).
import { monitorEventLoopDelay } from "node:perf_hooks";
import { loadConfig } from "../apps/server/src/config.ts";
import { createLogger } from "../apps/server/src/logger.ts";
import { startServer } from "../apps/server/src/server.ts";

export type ServerStatsRequest = { type: "stats"; resetLoopDelay?: boolean; gc?: boolean };
export interface ServerStats {
  heapUsed: number;
  /** V8 heap committed (used or not): what the JS heap adds to RSS. */
  heapTotal: number;
  /** Memory outside the V8 heap that JS objects hold (Buffers and other ArrayBuffers among it). */
  external: number;
  arrayBuffers: number;
  rss: number;
  /** User + system CPU time of the process so far. */
  cpuMs: number;
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

const config = loadConfig(process.env, []);
const running = await startServer(config, createLogger({ level: config.logLevel, pretty: false }), { webRoot: null });
const RESOLUTION_MS = 10;
const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
// The histogram records the time between its timer's runs, the interval included: the delay is the rest.
const delayMs = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
loop.enable();

process.on("message", (m: ServerStatsRequest) => {
  if (m.type !== "stats") return;
  // A full collection first (node --expose-gc) so heap figures are live data, not garbage.
  if (m.gc) (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  const stats: ServerStats = {
    heapUsed: mem.heapUsed,
    heapTotal: mem.heapTotal,
    external: mem.external,
    arrayBuffers: mem.arrayBuffers,
    rss: mem.rss,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    loopDelayP50Ms: delayMs(loop.percentile(50)),
    loopDelayP99Ms: delayMs(loop.percentile(99)),
    loopDelayMaxMs: delayMs(loop.max),
  };
  if (m.resetLoopDelay) loop.reset();
  process.send?.(stats);
});
process.on("SIGTERM", () => {
  void running.stop().finally(() => process.exit(0));
});
process.send?.({ type: "ready", url: running.url });
