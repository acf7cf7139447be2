// The server under load for bench/heartbeats.ts: the real server (startServer, from the
// environment like `npm start`), plus an event-loop delay histogram the parent reads over IPC.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { loadConfig } from "../apps/server/src/config.ts";
import { createLogger } from "../apps/server/src/logger.ts";
import { startServer } from "../apps/server/src/server.ts";

const config = loadConfig(process.env, []);
const running = await startServer(config, createLogger({ level: "warn", pretty: false }), { webRoot: null });
const delay = monitorEventLoopDelay({ resolution: 1 }); // its figures include the 1 ms sampling interval;
delay.enable();
const stats = () => ({ ...running.core.agents.ingestStats() });
process.on("message", async (m: { cmd: string }) => {
  if (m.cmd === "reset") {
    delay.reset();
    process.send?.({ cmd: "reset", stats: stats() });
  } else if (m.cmd === "report") {
    process.send?.({
      cmd: "report",
      p50: delay.percentile(50) / 1e6,
      p99: delay.percentile(99) / 1e6,
      max: delay.max / 1e6,
      stats: stats(),
      rssMb: Math.round(process.memoryUsage().rss / 1e6),
    });
  } else if (m.cmd === "stop") {
    await running.stop();
    process.exit(0);
  }
});
process.send?.({ cmd: "ready", url: running.url });
