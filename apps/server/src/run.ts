// The server from the command line (main.ts loads it): reads the configuration once, starts the
// roles asked for, and shuts down cleanly on SIGINT/SIGTERM (the database lock is released,
// in-flight jobs finish).
import { DataDirLockedError } from "@clawcloud/core";
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { startServer } from "./server.ts";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger({ level: config.logLevel, pretty: config.logPretty });
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer(config, log);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      log.fatal({ dataDir: err.dataDir, pid: err.pid }, err.message);
      process.exit(3);
    }
    log.fatal({ err }, "start-up failed");
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await running.stop().catch((err) => log.error({ err }, "shutdown failed"));
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

await main();
